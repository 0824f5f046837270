from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """The standard login form; the template renders it with Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

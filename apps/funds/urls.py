from django.urls import path

from apps.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.budget_list, name="budget_list"),
    path("new/", views.budget_create, name="budget_create"),
    path("<int:pk>/", views.budget_detail, name="budget_detail"),
    path("<int:pk>/edit/", views.budget_edit, name="budget_edit"),
    path("<int:pk>/delete/", views.budget_delete, name="budget_delete"),
    path("<int:pk>/expenditures/new/", views.expenditure_create, name="expenditure_create"),
    path("<int:pk>/statement.xlsx", views.budget_statement_xlsx, name="budget_statement_xlsx"),
    path("<int:pk>/statement.pdf", views.budget_statement_pdf, name="budget_statement_pdf"),
    path("expenditures/<int:pk>/", views.expenditure_detail, name="expenditure_detail"),
    path("expenditures/<int:pk>/edit/", views.expenditure_edit, name="expenditure_edit"),
    path("expenditures/<int:pk>/delete/", views.expenditure_delete, name="expenditure_delete"),
    path("expenditures/<int:pk>/receipt/", views.expenditure_receipt, name="expenditure_receipt"),
    path("expenditures/<int:pk>/approve/", views.expenditure_approve, name="expenditure_approve"),
    path("expenditures/<int:pk>/return/", views.expenditure_return, name="expenditure_return"),
    path("statement/", views.statement, name="statement"),
    path("statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("statement.pdf", views.statement_pdf, name="statement_pdf"),
]

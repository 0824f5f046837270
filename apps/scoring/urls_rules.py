"""The staff's scoring pages (rule sets, scores, disputes); included by ``apps/scoring/urls.py`` in the
"scoring" namespace."""

from django.urls import path

from apps.scoring.views import rules, scores

urlpatterns = [
    path("rules/", rules.rule_set_list, name="rule_set_list"),
    path("rules/new/", rules.rule_set_create, name="rule_set_create"),
    path("rules/<int:pk>/", rules.rule_set_detail, name="rule_set_detail"),
    path("rules/<int:pk>/edit/", rules.rule_set_edit, name="rule_set_edit"),
    path("rules/<int:pk>/copy/", rules.rule_set_copy, name="rule_set_copy"),
    path("rules/<int:pk>/items/new/", rules.rule_item_create, name="rule_item_create"),
    path("rules/items/<int:pk>/edit/", rules.rule_item_edit, name="rule_item_edit"),
    path("rules/items/<int:pk>/delete/", rules.rule_item_delete, name="rule_item_delete"),
    path("rules/<int:pk>/bands/", rules.grade_band_edit, name="grade_band_edit"),
    path("rules/<int:pk>/publish/", rules.rule_set_publish, name="rule_set_publish"),
    path("rules/<int:pk>/what-if/", rules.rule_set_whatif, name="rule_set_whatif"),
    path("rules/<int:pk>/recompute/", scores.recompute, name="recompute"),
    path("scores/", scores.score_list, name="score_list"),
    path("scores/export/", scores.score_export, name="score_export"),
    path("scores/<int:pk>/", scores.score_detail, name="score_detail"),
    path("disputes/", scores.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/", scores.dispute_resolve, name="dispute_resolve"),
]

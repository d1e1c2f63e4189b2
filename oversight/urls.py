from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.index, name="index"),
    path("sanctions/", views.sanction_list, name="sanction_list"),
    path("sanctions/new/", views.sanction_new, name="sanction_new"),
    path("sanctions/<uuid:public_id>/", views.sanction_detail, name="sanction_detail"),
    path("sanctions/<uuid:public_id>/decide/", views.sanction_decide, name="sanction_decide"),
    path("sanctions/<uuid:public_id>/lift/", views.sanction_lift, name="sanction_lift"),
    path("sanctions/<uuid:public_id>/lift/decide/", views.sanction_lift_decide, name="sanction_lift_decide"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/<uuid:public_id>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<uuid:public_id>/progress/", views.inspection_progress, name="inspection_progress"),
    path("inspections/<uuid:public_id>/resume/", views.inspection_resume, name="inspection_resume"),
    path("inspections/<uuid:public_id>/cancel/", views.inspection_cancel, name="inspection_cancel"),
    path("inspections/<uuid:public_id>/close/", views.inspection_close, name="inspection_close"),
    path("inspections/<uuid:public_id>/report.<str:fmt>", views.inspection_export, name="inspection_export"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export.<str:fmt>", views.stats_export, name="stats_export"),
]

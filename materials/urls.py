from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("files/<uuid:public_id>/", views.download, name="download"),
]

from django.urls import path

from materials import views

app_name = "materials"
urlpatterns = [
    path("mine/", views.my_documents, name="mine"),
    path("files/<uuid:public_id>/", views.download, name="download"),
    path("files/<uuid:public_id>/status/", views.status, name="status"),
    path("files/<uuid:public_id>/versions/", views.versions, name="versions"),
    path("files/<uuid:public_id>/pages/<int:page>.jpg", views.preview, name="preview"),
]

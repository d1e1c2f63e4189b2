from django.urls import path

from employers import views

app_name = "employers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/verify/", views.register_verify, name="register_verify"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("operators/", views.operators, name="operators"),
    path("invitations/<uuid:public_id>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("profile/", views.profile, name="profile"),
    path("profile/documents/", views.upload_document, name="upload_document"),
    path("profile/rights/", views.request_rights, name="request_rights"),
    path("profile/rights/full/", views.request_full_rights, name="request_full_rights"),
    path("profile/code/", views.regenerate_code, name="regenerate_code"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<str:credit_code>/", views.review_detail, name="review_detail"),
    path(
        "review/<str:credit_code>/facts/<int:change_id>/", views.fact_change_decide, name="fact_change_decide"
    ),
    path("associate/", views.associate, name="associate"),
    path("associate/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("associations/", views.associations, name="associations"),
    path("associations/<uuid:public_id>/", views.association_detail, name="association_detail"),
]

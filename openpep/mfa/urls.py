from django.urls import path

from . import views

app_name = "mfa"
urlpatterns = [
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/set-up/", views.setup, name="setup"),
    path("sign-in/passkey/options/", views.passkey_options, name="passkey_options"),
    path("sign-in/passkey/", views.passkey_verify, name="passkey_verify"),
    path("account/sign-in-methods/", views.manage, name="manage"),
    path("account/sign-in-methods/authenticator-app/", views.reset_app, name="reset_app"),
    path("account/sign-in-methods/passkeys/options/", views.passkey_register_options, name="passkey_register_options"),
    path("account/sign-in-methods/passkeys/", views.passkey_register, name="passkey_register"),
    path("account/sign-in-methods/passkeys/remove/", views.passkey_remove, name="passkey_remove"),
    path("account/sign-in-methods/passkeys/<int:passkey_id>/rename/", views.passkey_rename, name="passkey_rename"),
]

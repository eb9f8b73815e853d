from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("pay/<str:token>", views.payment_page, name="pay"),
    path("start/<uuid:intent>", views.payment_start_redirect, name="start"),
    path("ipn/<slug:provider>", views.payment_ipn, name="ipn"),
    path("return/<slug:provider>", views.payment_return, name="return"),
    path("receipts/<str:number>.pdf", views.receipt_pdf, name="receipt-pdf"),
]

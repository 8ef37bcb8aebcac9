from django.urls import path

from . import views

app_name = "marketplace"


def _listing_urls(kind: str, prefix: str) -> list:
    k = {"kind": kind}
    return [
        path(f"{prefix}/", views.listing_list, k, name=f"{kind}_list"),
        path(f"{prefix}/dang-tin/", views.listing_create, k, name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/", views.listing_detail, k, name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/sua/", views.listing_edit, k, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/in/", views.listing_print, k, name=f"{kind}_print"),
        path(f"{prefix}/<int:pk>/qr.png", views.listing_qr, k, name=f"{kind}_qr"),
        path(f"{prefix}/<int:pk>/quan-tam/", views.inquiry_start, k, name=f"{kind}_inquire"),
        path(
            f"{prefix}/<int:pk>/<str:action>/",
            views.listing_action,
            k,
            name=f"{kind}_action",
        ),
    ]


urlpatterns = [
    path("", views.index, name="index"),
    *_listing_urls("offer", "cong-nghe"),
    *_listing_urls("request", "nhu-cau"),
    path("cua-toi/", views.my_listings, name="my_listings"),
    path("anh/<int:pk>/xoa/", views.image_delete, name="image_delete"),
    path("tai-lieu/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("kiem-duyet/", views.review_queue, name="review_queue"),
    path("kiem-duyet/<str:kind>/<int:pk>/", views.review_decide, name="review_decide"),
    path("trao-doi/", views.inquiry_list, name="inquiry_list"),
    path("trao-doi/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("trao-doi/<int:pk>/trang-thai/", views.inquiry_state, name="inquiry_state"),
    path("trao-doi/<int:pk>/hop-dong/", views.deal_record, name="deal_record"),
    path("trao-doi/<int:pk>/hop-dong/xac-nhan/", views.deal_confirm, name="deal_confirm"),
    path("thong-ke/", views.dashboard, name="dashboard"),
    path("thong-ke/csv/", views.dashboard_csv, name="dashboard_csv"),
    path("chuyen-gia/", views.expert_list, name="expert_list"),
    path("chuyen-gia/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("to-chuc-trung-gian/", views.intermediary_list, name="intermediary_list"),
]

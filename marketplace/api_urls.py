from django.urls import path

from . import apis


def _listing_urls(prefix: str, list_view, detail_view, actions: dict, name: str) -> list:
    urls = [
        path(f"{prefix}/", list_view.as_view(), name=f"api-{name}-list"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"api-{name}-detail"),
    ]
    for action, view in actions.items():
        urls.append(
            path(f"{prefix}/<int:pk>/{action}/", view.as_view(), name=f"api-{name}-{action}")
        )
    return urls


urlpatterns = [
    *_listing_urls(
        "offers", apis.OfferListCreateApi, apis.OfferDetailApi, apis.OFFER_ACTIONS, "offer"
    ),
    *_listing_urls(
        "requests",
        apis.RequestListCreateApi,
        apis.RequestDetailApi,
        apis.REQUEST_ACTIONS,
        "request",
    ),
    path("offers/<int:pk>/images/", apis.OfferImageUploadApi.as_view(), name="api-offer-images"),
    path(
        "offers/<int:pk>/attachments/",
        apis.OfferAttachmentUploadApi.as_view(),
        name="api-offer-attachments",
    ),
    path("experts/", apis.ExpertListApi.as_view(), name="api-expert-list"),
    path("experts/<int:pk>/", apis.ExpertDetailApi.as_view(), name="api-expert-detail"),
    path("experts/<int:pk>/contact/", apis.ExpertContactApi.as_view(), name="api-expert-contact"),
    path("inquiries/", apis.InquiryListCreateApi.as_view(), name="api-inquiry-list"),
    path("inquiries/<int:pk>/", apis.InquiryDetailApi.as_view(), name="api-inquiry-detail"),
    path(
        "inquiries/<int:pk>/messages/",
        apis.InquiryMessagesApi.as_view(),
        name="api-inquiry-messages",
    ),
    path("inquiries/<int:pk>/deal/", apis.InquiryDealApi.as_view(), name="api-inquiry-deal"),
    path(
        "inquiries/<int:pk>/deal/confirm/",
        apis.InquiryDealConfirmApi.as_view(),
        name="api-inquiry-deal-confirm",
    ),
]

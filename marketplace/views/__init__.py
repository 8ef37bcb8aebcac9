from .dashboard import dashboard, dashboard_csv
from .experts import expert_detail, expert_list, intermediary_list
from .inquiries import (
    deal_confirm,
    deal_record,
    inquiry_detail,
    inquiry_list,
    inquiry_start,
    inquiry_state,
)
from .listings import (
    attachment_delete,
    image_delete,
    index,
    listing_action,
    listing_create,
    listing_detail,
    listing_edit,
    listing_list,
    listing_print,
    listing_qr,
    my_listings,
)
from .moderation import review_decide, review_queue

__all__ = [
    "attachment_delete",
    "dashboard",
    "dashboard_csv",
    "deal_confirm",
    "deal_record",
    "expert_detail",
    "expert_list",
    "image_delete",
    "index",
    "inquiry_detail",
    "inquiry_list",
    "inquiry_start",
    "inquiry_state",
    "intermediary_list",
    "listing_action",
    "listing_create",
    "listing_detail",
    "listing_edit",
    "listing_list",
    "listing_print",
    "listing_qr",
    "my_listings",
    "review_decide",
    "review_queue",
]

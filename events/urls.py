from django.urls import path

from . import views, views_live, views_meetings, views_organiser

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("ve/<str:code>/", views.ticket, name="ticket"),
    path("ve/<str:code>/qr.png", views.ticket_qr, name="ticket_qr"),
    path("ve/<str:code>/the.pdf", views.ticket_badge, name="ticket_badge"),
    path(
        "ve/<str:code>/hoi-thao/<int:seminar_id>/dang-ky/",
        views.seminar_register,
        name="seminar_register",
    ),
    path(
        "ve/<str:code>/hoi-thao/<int:seminar_id>/huy/",
        views.seminar_cancel,
        name="seminar_cancel",
    ),
    path("bien-lai/<int:pk>/", views.receipt, name="receipt"),
    path("<slug:slug>/", views.edition_detail, name="edition"),
    path("<slug:slug>/dang-ky/", views.register, name="register"),
    path("<slug:slug>/dang-ky-nhom/", views.register_group, name="register_group"),
    path("<slug:slug>/hoi-thao/", views.seminars, name="seminars"),
    path("<slug:slug>/trien-lam/", views.exhibitor, name="exhibitor"),
    path("<slug:slug>/trien-lam/gian/<str:code>/giu/", views.booth_hold, name="booth_hold"),
    path("<slug:slug>/dat-gian/<int:pk>/thanh-toan/", views.booking_pay, name="booking_pay"),
    path(
        "<slug:slug>/dat-gian/<int:pk>/thanh-toan/the/",
        views.booking_card_confirm,
        name="booking_card_confirm",
    ),
    path("<slug:slug>/trien-lam/<slug:org_slug>/nhan-vien/", views.staff_add, name="staff_add"),
    path("<slug:slug>/trien-lam/<slug:org_slug>/khach/", views.leads, name="leads"),
    path("<slug:slug>/trien-lam/<slug:org_slug>/khach.csv", views.leads_csv, name="leads_csv"),
    path("<slug:slug>/trien-lam/<slug:org_slug>/quet/", views.lead_scanner, name="lead_scanner"),
    path("<slug:slug>/ban-to-chuc/", views.organiser, name="organiser"),
    path(
        "<slug:slug>/ban-to-chuc/ho-so/<int:pk>/",
        views.application_decide,
        name="application_decide",
    ),
    path("<slug:slug>/ban-to-chuc/gian/nhap/", views.booths_import, name="booths_import"),
    path("<slug:slug>/ban-to-chuc/gian/luu/", views.booth_save, name="booth_save"),
    path(
        "<slug:slug>/ban-to-chuc/dat-gian/<int:pk>/da-tra/",
        views.booking_mark_paid,
        name="booking_mark_paid",
    ),
    path(
        "<slug:slug>/ban-to-chuc/dat-gian/<int:pk>/huy/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path("<slug:slug>/ban-to-chuc/trang-thai/", views.edition_advance, name="edition_advance"),
    path("<slug:slug>/ban-to-chuc/hoi-thao/", views.seminar_add, name="seminar_add"),
    path("<slug:slug>/ban-to-chuc/so-lieu/", views.figures, name="figures"),
    path("<slug:slug>/ban-to-chuc/truc-tiep/", views_live.dashboard, name="live_dashboard"),
    path("<slug:slug>/ban-to-chuc/ve/", views_organiser.tickets, name="organiser_tickets"),
    path(
        "<slug:slug>/ban-to-chuc/ve/nhap/",
        views_organiser.tickets_import,
        name="organiser_tickets_import",
    ),
    path(
        "<slug:slug>/ban-to-chuc/ve/mau.csv",
        views_organiser.tickets_csv_template,
        name="organiser_tickets_csv_template",
    ),
    path(
        "<slug:slug>/ban-to-chuc/ve/<int:pk>/thu-hoi/",
        views_organiser.ticket_revoke,
        name="organiser_ticket_revoke",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/",
        views_organiser.checkin_lists,
        name="organiser_checkin_lists",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/<int:pk>/mo-dong/",
        views_organiser.checkin_list_open,
        name="organiser_checkin_list_open",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/<int:pk>/sua/",
        views_organiser.checkin_list_update,
        name="organiser_checkin_list_update",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/<int:pk>/xoa/",
        views_organiser.checkin_list_delete,
        name="organiser_checkin_list_delete",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/<int:pk>/nhan-vien/",
        views_organiser.checkin_list_staff_add,
        name="organiser_checkin_list_staff_add",
    ),
    path(
        "<slug:slug>/ban-to-chuc/soat-ve/<int:pk>/nhan-vien/<int:user_id>/xoa/",
        views_organiser.checkin_list_staff_remove,
        name="organiser_checkin_list_staff_remove",
    ),
    path("<slug:slug>/soat-ve/", views.scanner_lists, name="scanner_lists"),
    path("<slug:slug>/soat-ve/<slug:list_slug>/", views.scanner, name="scanner"),
    # B2B meetings
    path("<slug:slug>/gap-go/", views_meetings.profile, name="meetings_profile"),
    path("<slug:slug>/gap-go/roi-khoi/", views_meetings.opt_out, name="meetings_opt_out"),
    path("<slug:slug>/gap-go/goi-y/", views_meetings.suggestions, name="meetings_suggestions"),
    path("<slug:slug>/gap-go/nguoi/<int:pk>/", views_meetings.partner, name="meetings_partner"),
    path("<slug:slug>/gap-go/yeu-cau/", views_meetings.my_requests, name="meetings_requests"),
    path(
        "<slug:slug>/gap-go/yeu-cau/<int:pk>/<str:action>/",
        views_meetings.request_action,
        name="meetings_request_action",
    ),
    path("<slug:slug>/gap-go/lich/", views_meetings.agenda, name="meetings_agenda"),
    path("<slug:slug>/gap-go/lich.ics", views_meetings.agenda_ics, name="meetings_agenda_ics"),
    path("<slug:slug>/gap-go/lich.pdf", views_meetings.agenda_pdf, name="meetings_agenda_pdf"),
    path(
        "<slug:slug>/gap-go/lich/<int:pk>/tham-du/",
        views_meetings.attendance,
        name="meetings_attendance",
    ),
    path(
        "<slug:slug>/gap-go/lich/<int:pk>/tiep-theo/",
        views_meetings.follow_up,
        name="meetings_follow_up",
    ),
    path(
        "<slug:slug>/gap-go/ban-trong/", views_meetings.availability, name="meetings_availability"
    ),
    path("<slug:slug>/gap-go/ban/", views_meetings.table_staff, name="meetings_table_staff"),
    path(
        "<slug:slug>/gap-go/ban/<int:pk>/tham-du/",
        views_meetings.table_staff_mark,
        name="meetings_table_staff_mark",
    ),
    path("<slug:slug>/ban-to-chuc/gap-go/", views_meetings.organiser, name="meetings_organiser"),
    path(
        "<slug:slug>/ban-to-chuc/gap-go/<str:action>/",
        views_meetings.organiser_action,
        name="meetings_organiser_action",
    ),
]

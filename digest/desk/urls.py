from django.urls import path

from digest.desk import views

app_name = "digest_desk"

urlpatterns = [
    path("", views.WeeksView.as_view(), name="weeks"),
    path("new-week/", views.new_week, name="new_week"),
    path("week/<int:report_id>/", views.WeekBoardView.as_view(), name="week"),
    path("week/<int:report_id>/translate/", views.translate, name="translate"),
    path("week/<int:report_id>/sync/", views.sync, name="sync"),
]

"""Keep the cached working-day calendar in step with the table."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay, CalendarYear
from .selectors import forget_work_calendar


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def calendar_changed(sender, **kwargs):
    forget_work_calendar()

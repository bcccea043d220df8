"""Background work of the digest app (django-tasks; run by `manage.py db_worker`)."""

from django_tasks import task

from digest.api.images import ALL_SPECS


@task()
def generate_api_renditions(image_id: int) -> None:
    """Render every size the API serves, so no reader's request waits for image processing."""
    from digest.models import CreditedImage

    image = CreditedImage.objects.filter(id=image_id).first()
    if image is not None:
        image.get_renditions(*ALL_SPECS)

"""Where an item answers each content element of its catalog entry."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0017_item_report_period_and_event'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ElementAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('element_name', models.CharField(max_length=60, verbose_name='要素名称')),
                ('kind', models.CharField(choices=[('section', '正文章节'), ('attachment', '附件'), ('not_applicable', '不适用')], max_length=20, verbose_name='体现位置')),
                ('section', models.CharField(blank=True, max_length=200, verbose_name='正文章节')),
                ('reason', models.CharField(blank=True, max_length=200, verbose_name='不适用的理由')),
                ('answered_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='标注时间')),
                ('answered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='标注人')),
                ('attachment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='disclosure.attachment', verbose_name='附件')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='element_answers', to='disclosure.item', verbose_name='信息')),
            ],
            options={
                'verbose_name': '公开要素标注',
                'verbose_name_plural': '公开要素标注',
                'ordering': ['item', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('item', 'element_name'), name='unique_answer_per_element'), models.CheckConstraint(condition=models.Q(models.Q(('attachment__isnull', True), ('kind', 'section'), models.Q(('section', ''), _negated=True)), models.Q(('attachment__isnull', False), ('kind', 'attachment'), ('section', '')), models.Q(('attachment__isnull', True), ('kind', 'not_applicable'), ('section', ''), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='element_answer_complete')],
            },
        ),
    ]

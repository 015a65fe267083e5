"""manage.py import_catalog FILE [--format csv|xlsx]: import a catalogue
spreadsheet (all or nothing; see catalog.catalog_io)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog import catalog_io


class Command(BaseCommand):
    help = _(
        "导入公开目录（CSV 或 XLSX）。有任何错误时逐条列出、不写入任何数据，"
        "并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("要导入的 CSV 或 XLSX 文件"))
        parser.add_argument(
            "--format",
            choices=catalog_io.FORMATS,
            help=_("文件格式；不写时按文件名和内容识别"),
        )

    def handle(self, *args, **options):
        path = options["path"]
        source = Path(path)
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        try:
            fmt = options["format"] or catalog_io.detect_format(source.name, data)
            result = catalog_io.import_catalog(data, fmt)
        except catalog_io.CatalogImportError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(
                _("导入失败：共 %(count)d 处错误，未写入任何数据。")
                % {"count": len(error.errors)}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(created)d 条，更新 %(updated)d 条。")
                % {"created": result.created, "updated": result.updated}
            )
        )

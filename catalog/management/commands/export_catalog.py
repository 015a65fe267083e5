"""manage.py export_catalog [--format csv|xlsx] [-o FILE]: export the whole
catalog (active and inactive entries) in the standard catalogue layout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from catalog import catalog_io


class Command(BaseCommand):
    help = _("导出全部公开事项（含停用的），格式与导入相同。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=catalog_io.FORMATS,
            help=_("文件格式；不写时按输出文件的扩展名，默认 csv"),
        )
        parser.add_argument(
            "-o",
            "--output",
            help=_("输出文件；不写时 CSV 输出到标准输出"),
        )

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["format"] or (
            "xlsx" if output and output.lower().endswith(".xlsx") else "csv"
        )
        content = catalog_io.export_catalog(fmt)
        if not output:
            if fmt == "xlsx":
                raise CommandError(_("XLSX 是二进制文件，请用 -o 指定输出文件。"))
            self.stdout.write(content.decode("utf-8-sig"), ending="")
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("无法写入文件 %(path)s：%(error)s")
                % {"path": output, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(_("已导出到 %(path)s。") % {"path": output})
        )

"""manage.py export_archive PATH: write all disclosure data (catalog, items,
their history and attachments, the users they name, without passwords) to a
new zip archive (see disclosure.archive and docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from disclosure import archive


class Command(BaseCommand):
    help = _(
        "把公开目录、公开信息（含审核记录、修订版本和附件原件）及相关用户（不含密码）"
        "导出为一个自带清单和校验和的 zip 归档文件，用于迁移到另一套系统或长期保存。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("要写入的归档文件（.zip），不能已存在"))
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=_("从哪个数据库导出（默认 default）"),
        )

    def handle(self, *args, **options):
        progress = self.stdout.write if options["verbosity"] >= 2 else None
        try:
            result = archive.export_archive(
                options["path"], using=options["database"], progress=progress
            )
        except archive.ArchiveError as error:
            for detail in error.details:
                self.stderr.write(f"  {detail}")
            raise CommandError(error.message) from error
        rows = sum(entry["rows"] for entry in result.manifest["models"])
        files = sum(
            1
            for name in result.manifest["contents"]
            if name.startswith(archive.FILES_DIR)
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出到 %(path)s：%(rows)d 行数据，%(files)d 个文件，共 %(size)s。")
                % {
                    "path": result.path,
                    "rows": rows,
                    "files": files,
                    "size": filesizeformat(result.size),
                }
            )
        )
        self.stdout.write(
            _("归档文件的 SHA-256（请与归档分开保存，用于日后核对）：%(sha256)s")
            % {"sha256": result.sha256}
        )

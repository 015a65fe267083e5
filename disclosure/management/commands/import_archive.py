"""manage.py import_archive PATH: restore an archive written by
export_archive into a new, empty database (after `migrate`), all or nothing
(see disclosure.archive and docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from disclosure import archive


class Command(BaseCommand):
    help = _(
        "把 export_archive 导出的归档导入新建的空数据库（先运行 migrate）。"
        "导入前核对格式版本、每个文件的校验和与数据库结构；有任何问题都不写入任何数据。"
        "主键保持不变，信息的网址不变；用户须重设密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("export_archive 导出的归档文件"))
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help=_("导入到哪个数据库（默认 default）"),
        )
        parser.add_argument(
            "--allow-older-schema",
            action="store_true",
            help=_(
                "允许导入由较旧版本门户制作的归档（其后的数据迁移不会作用于导入的数据，"
                "新增字段取默认值）"
            ),
        )

    def handle(self, *args, **options):
        progress = self.stdout.write if options["verbosity"] >= 2 else None
        try:
            result = archive.import_archive(
                options["path"],
                using=options["database"],
                progress=progress,
                allow_older_schema=options["allow_older_schema"],
            )
        except archive.ArchiveError as error:
            for detail in error.details:
                self.stderr.write(f"  {detail}")
            raise CommandError(error.message) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "导入完成：%(rows)d 行数据，%(files)d 个文件；新建用户 %(created)d 个"
                    "（须重设密码），已有同名用户 %(kept)d 个保持不变。"
                )
                % {
                    "rows": sum(result.rows.values()),
                    "files": result.files_written,
                    "created": result.users_created,
                    "kept": result.users_kept,
                }
            )
        )

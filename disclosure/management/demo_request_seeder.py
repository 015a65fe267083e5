"""How a demo request is taken through the workflow: a :class:`Plan` (organ,
applicant, receipt, result, extras such as a correction, a fee, a third
party or an extension) becomes a request by running each step at the date
it would have happened, as far as today allows (``demo_requests``)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from catalog import workdays
from catalog.models import Department
from catalog.selectors import work_calendar
from disclosure.demo import _at, _clock
from disclosure.models import (
    ApplicantKind,
    InformationRequest,
    ReplyType,
)
from disclosure.workflow import requests as steps

ORGANS = ("czj", "nyj", "zjj", "fgj")
SUBJECTS = [
    "{year}年区级财政专项资金分配结果及依据文件",
    "{year}年耕地地力保护补贴发放名单（{town}）",
    "城北保障性租赁住房项目的立项批复和规划许可",
    "{year}年示例区第三中学新建工程招标文件和中标结果",
    "示例区{year}年部门预算中“三公”经费明细",
    "滨江路综合管廊工程征地补偿标准及补偿款发放情况",
    "{year}年农机购置补贴受理和审核情况",
    "人民大道快速路改造工程环境影响评价文件",
]
TOWNS = ["城关街道", "东湖镇", "西山镇", "南塘乡", "北港镇"]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
ORGANISATIONS = {
    ApplicantKind.BUSINESS: "示例市恒达建设有限公司",
    ApplicantKind.RESEARCH: "示例大学公共管理研究所",
    ApplicantKind.CHARITY: "示例市绿水环保公益服务中心",
    ApplicantKind.LEGAL: "示例市正平律师事务所",
    ApplicantKind.OTHER: "示例区东湖镇新桥村村民委员会",
}
REPLY_TEXT = {
    ReplyType.GRANTED: "本机关以电子邮件向您提供该信息（共1份）。",
    ReplyType.PARTLY_GRANTED: "本机关提供可以公开的部分；其中涉及个人身份证号码和银行账号的内容，"
    "属于个人隐私，不予公开。",
    ReplyType.UNABLE_NOT_HELD: "经检索，该信息由示例区自然资源局制作和保存，"
    "联系电话0571-88880020。",
    ReplyType.REJECTED_PUBLICATION: "该信息刊登于《示例区人民政府公报》，可在区图书馆和区政务服务中心查阅。",
    ReplyType.OTHER_OTHER: "经与申请人沟通，申请人表示已通过其他途径获取该信息，本机关终止办理。",
}
#: Kinds of applicant, most of them natural persons.
KINDS = [ApplicantKind.NATURAL] * 6 + list(ORGANISATIONS)


@dataclass
class Plan:
    organ: str
    kind: str
    received_on: datetime.date
    result: str = ""  # "" for a request still open today
    open_state: str = "processing"
    extras: set = field(default_factory=set)


class _Seeder:
    def __init__(self, today: datetime.date, rng: random.Random):
        users = {user.username: user for user in get_user_model().objects.all()}
        self.reviewer, self.admin = users["reviewer"], users["admin"]
        self.clerks = {
            "czj": users["clerk"],
            "nyj": users["clerk"],
            "zjj": users["clerk2"],
            "fgj": users["clerk2"],
        }
        self.organs = {d.code: d for d in Department.objects.filter(code__in=ORGANS)}
        self.today, self.rng = today, rng
        self.calendar = work_calendar()

    def day(self, start: datetime.date, working_days: int) -> datetime.date:
        return workdays.add_working_days(start, working_days, self.calendar).due

    def data(self, plan: Plan) -> dict:
        rng = self.rng
        natural = plan.kind == ApplicantKind.NATURAL
        name = rng.choice(NAMES) if natural else ORGANISATIONS[plan.kind]
        subject = rng.choice(SUBJECTS).format(
            year=plan.received_on.year - rng.choice([0, 1]), town=rng.choice(TOWNS)
        )
        return {
            "organ": self.organs[plan.organ],
            "applicant_kind": plan.kind,
            "applicant_name": name,
            "id_type": "resident_id" if natural else "credit_code",
            "id_number": "11010519491231002X" if natural else "91330110MA2B3C4D5E",
            "representative": "" if natural else rng.choice(NAMES),
            "contact_person": "" if natural else rng.choice(NAMES),
            "phone": f"1380000{rng.randint(1000, 9999)}",
            "email": f"applicant{rng.randint(100, 999)}@example.com",
            "address": f"示例区{rng.choice(TOWNS)}幸福路{rng.randint(1, 99)}号",
            "postcode": "310000",
            "description": f"申请公开{subject}。",
            "document_number": "",
            "delivery_form": rng.choice(["paper", "electronic"]),
            "delivery_method": rng.choice(["post", "email", "pickup"]),
        }

    def at(self, day: datetime.date, hour: int):
        return _clock(_at(day, hour, self.rng.randint(0, 59)))

    def run(self, plan: Plan) -> InformationRequest | None:
        """Take one request as far as ``today`` allows."""
        clerk = self.clerks[plan.organ]
        received = plan.received_on
        if received > self.today:
            return None
        with self.at(received, 9):
            if self.rng.random() < 0.6:
                request, _code = steps.submit_online(data=self.data(plan))
                request = steps.confirm_receipt(request=request, by=clerk)
            else:
                request, _code = steps.register(
                    by=clerk,
                    data=self.data(plan),
                    channel=self.rng.choice(["in_person", "post", "fax"]),
                    handed_in_on=received,
                    signed_for_on=received,
                    confirmed_on=received,
                )
        reply_on = self.day(received, self.rng.randint(8, 17))
        for step_day, action in self.actions(plan, received):
            if step_day > self.today:
                return request
            with self.at(step_day, 10):
                action(request, clerk)
            request.refresh_from_db()
            reply_on = max(reply_on, self.day(step_day, 3))
        if not plan.result:
            return request
        if reply_on > self.today:
            return request
        with self.at(reply_on, 11):
            if plan.result == ReplyType.OTHER_OTHER and "withdraw" in plan.extras:
                return steps.withdraw(request=request, reason="申请人书面撤回。")
            steps.draft_reply(
                request=request,
                by=clerk,
                reply_type=plan.result,
                text=REPLY_TEXT.get(plan.result, ""),
            )
        send_on = self.day(reply_on, 1) if self.day(reply_on, 1) <= self.today else None
        with self.at(send_on or reply_on, 15):
            steps.send_reply(request=request, by=self.reviewer)
        return request

    def actions(self, plan: Plan, received: datetime.date):
        """(day, step) pairs the plan needs before its reply."""
        found = []
        extras = set(plan.extras)
        if plan.result in (ReplyType.OTHER_NO_CORRECTION, ReplyType.UNABLE_UNCLEAR):
            extras.add("correction")
        if plan.result == ReplyType.OTHER_NO_FEE:
            extras.add("fee")
        if "correction" in extras:
            notice = self.day(received, 2)
            found.append(
                (
                    notice,
                    lambda r, c: steps.request_correction(
                        request=r,
                        by=c,
                        items="请写明所需信息的文件名称、文号或形成时间。",
                        period=10,
                    ),
                )
            )
            if (
                plan.result != ReplyType.OTHER_NO_CORRECTION
                and "no_correction_yet" not in extras
            ):
                found.append(
                    (
                        self.day(notice, 4),
                        lambda r, c: steps.correct(
                            request=r,
                            description=r.description + "（补正：文号见附件）",
                        ),
                    )
                )
            else:
                found.append((self.day(notice, 11), lambda r, c: None))
        if "third_party" in extras:
            start = self.day(received, 3)
            found.append(
                (
                    start,
                    lambda r, c: steps.start_consultation(
                        request=r,
                        by=c,
                        kind="third_party",
                        party="示例市恒达建设有限公司",
                    ),
                )
            )
            if "open_consultation" not in extras:
                found.append(
                    (
                        self.day(start, 6),
                        lambda r, c: steps.end_consultation(
                            pause=r.pauses.get(ended_on__isnull=True),
                            by=c,
                            answer="第三方不同意公开涉及其商业秘密的部分。",
                        ),
                    )
                )
        if "fee" in extras:
            notice = self.day(received, 3)
            found.append(
                (
                    notice,
                    lambda r, c: steps.issue_fee_notice(
                        request=r,
                        by=c,
                        method="pages",
                        pages=self.rng.choice([45, 120, 260]),
                    ),
                )
            )
            if plan.result == ReplyType.OTHER_NO_FEE:
                found.append((self.day(notice, 21), lambda r, c: None))
            elif "fee_unpaid" not in extras:
                paid = self.day(notice, 5)
                found.append(
                    (
                        paid,
                        lambda r, c, paid=paid: steps.confirm_payment(
                            request=r, by=c, paid_on=paid
                        ),
                    )
                )
        if "extension" in extras:
            found.append(
                (
                    self.day(received, 16),
                    lambda r, c: steps.extend(
                        request=r,
                        by=self.admin,
                        days=15,
                        reason="所需信息数量较多，需要调取档案",
                    ),
                )
            )
            found.append((self.day(received, 28), lambda r, c: None))
        found.sort(key=lambda pair: pair[0])
        return found

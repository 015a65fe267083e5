"""Demo policies and their interpretations (国办发〔2016〕80号): published
together, one without an interpretation, one interpreted five days late, and a
pair approved and awaiting joint publication."""

import datetime

from catalog.models import Department
from disclosure import workflow
from disclosure.models import InterpretationForm, Item, ItemKind

from .demo_steps import approved_item, as_if_at, moment


def _interpretation(cast, clerk, policy, day, *, form, title, body, video_url=""):
    return approved_item(
        cast,
        clerk,
        policy.department,
        day,
        title=title,
        type_code="notice",
        body=body,
        kind=ItemKind.INTERPRETATION,
        interprets=policy,
        interpretation_form=form,
        video_url=video_url,
    )


QA_BODY = (
    "<h2>一、为什么出台《实施意见》？</h2><p>为落实乡村振兴战略，促进乡村产业高质量发展。</p>"
    "<h2>二、主要支持哪些产业？</h2><p>特色种养、农产品加工、乡村旅游和农村电商。</p>"
    "<h2>三、如何申请扶持资金？</h2><p>符合条件的经营主体向所在镇（街道）提出申请，区农业农村局审核后公示。</p>"
)


def seed_interpretations(cast, today: datetime.date) -> Item:
    nyj = Department.objects.get(code="nyj")
    fgj = Department.objects.get(code="fgj")
    # Published together (同步): the policy and a Q&A interpretation.
    day = today - datetime.timedelta(days=12)
    policy = approved_item(
        cast,
        cast.clerk,
        nyj,
        day,
        title=f"示例区关于促进乡村产业振兴的实施意见（{today.year}—{today.year + 2}年）",
        type_code="opinion",
        doc_number=f"示农发〔{day.year}〕21号",
        body="<p>为加快乡村产业发展，结合本区实际，提出如下实施意见。</p>",
    )
    interpretation = _interpretation(
        cast,
        cast.clerk,
        policy,
        day,
        form=InterpretationForm.QA,
        title="《示例区关于促进乡村产业振兴的实施意见》政策解读",
        body=QA_BODY,
    )
    with as_if_at(moment(day, 16)):
        workflow.publish_together(
            policy=policy, interpretations=[interpretation], by=cast.reviewer
        )
    # Published without an interpretation (shown on the oversight dashboard).
    day = today - datetime.timedelta(days=20)
    policy = approved_item(
        cast,
        cast.clerk2,
        fgj,
        day,
        title="示例区关于废止部分行政规范性文件的决定",
        type_code="decision",
        doc_number=f"示发改〔{day.year}〕8号",
        body="<p>经清理，决定废止以下文件。</p>",
    )
    with as_if_at(moment(day, 15)):
        workflow.publish(item=policy, by=cast.reviewer)
    # An interpretation published five days after its policy (late).
    day = today - datetime.timedelta(days=30)
    policy = approved_item(
        cast,
        cast.clerk2,
        fgj,
        day,
        title="示例区关于优化营商环境的若干意见",
        type_code="opinion",
        doc_number=f"示发改〔{day.year}〕5号",
        body="<p>为持续优化营商环境，提出以下意见。</p>",
    )
    with as_if_at(moment(day, 15)):
        workflow.publish(item=policy, by=cast.reviewer)
    later = day + datetime.timedelta(days=5)
    interpretation = _interpretation(
        cast,
        cast.clerk2,
        policy,
        later,
        form=InterpretationForm.VIDEO,
        title="图解与视频：《示例区关于优化营商环境的若干意见》",
        body="<p>本视频解读《若干意见》的主要内容。</p>",
        video_url="https://video.example.gov.cn/yshj.html",
    )
    with as_if_at(moment(later, 15)):
        workflow.publish(item=interpretation, by=cast.reviewer)
    # Approved, awaiting joint publication: for the reviewer to try.
    day = today - datetime.timedelta(days=1)
    policy = approved_item(
        cast,
        cast.clerk,
        nyj,
        day,
        title="示例区高标准农田建设管护办法",
        type_code="decision",
        doc_number=f"示农发〔{day.year}〕30号",
        body="<p>为加强高标准农田建设后的管护，制定本办法。</p>",
    )
    _interpretation(
        cast,
        cast.clerk,
        policy,
        day,
        form=InterpretationForm.TEXT,
        title="《示例区高标准农田建设管护办法》解读",
        body="<p>一、制定背景。二、主要内容。三、管护责任。</p>",
    )
    return policy

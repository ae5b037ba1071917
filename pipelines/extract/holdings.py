"""Facts the prose states about what a unit holds: vehicles (编制, 实有, by kind), office floor
area, equipment above value thresholds.

Read from sentences such as “共有公务用车编制65辆，实有59辆，其中：领导用车0辆，机要通信用车1辆…”,
“使用的办公用房建筑总面积14726.63平方米”, “价值50万元（原值）以上的通用设备0台（套）”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipelines.extract.pdftext import Page, squeeze


@dataclass(frozen=True)
class Holding:
    kind: str  # vehicles | floor_area | equipment
    label: str  # 编制 / 实有 / 共有 / 执法执勤用车 / 办公用房建筑总面积 / 价值50万元以上通用设备 …
    quantity: Decimal
    unit: str  # 辆 / 平方米 / 台（套）
    text: str  # the sentence it was read from
    page: int


_SENTENCE = re.compile(r"[^。；;]*?(辆|平方米|台[（(]套[）)])[^。；;]*[。；;]?")
_VEHICLE = re.compile(
    r"(?P<label>(?:公务用车)?编制|实有|共有(?:公务用车|车辆)?|[\u4e00-\u9fa5]{2,10}?用车)(?P<n>\d+)辆")
_AREA = re.compile(r"(?P<label>(?:办公用房)?(?:建筑)?(?:总)?面积)(?:为|共)?(?P<n>\d+(?:\.\d+)?)平方米")
_EQUIPMENT = re.compile(
    r"(?P<label>(?:价值|单价|单位价值)?(?P<threshold>\d+(?:\.\d+)?)万元(?:[（(]原值[）)])?以上的?[\u4e00-\u9fa5]*?设备)"
    r"(?P<n>\d+)台[（(]套[）)]")


def extract_holdings(pages: list[Page], skip_pages: list[int] | None = None) -> list[Holding]:
    skip = set(skip_pages or [])
    found: list[Holding] = []
    for page in pages:
        if page.number in skip:
            continue
        text = squeeze(page.text.replace("\r", "").replace("\n", ""))
        for sentence in (m.group(0) for m in _SENTENCE.finditer(text)):
            if "预算" in sentence and "辆" in sentence and "编制" not in sentence and "共有" not in sentence:
                continue  # “新增1辆公务用车购置” explains a budget change; it is not a holding
            for m in _VEHICLE.finditer(sentence):
                label = re.sub(r"^共有(公务用车|车辆)?$", "共有", m.group("label"))
                label = re.sub(r"^公务用车编制$", "编制", label)
                found.append(Holding("vehicles", label, Decimal(m.group("n")), "辆", sentence, page.number))
            for m in _AREA.finditer(sentence if re.search(r"办公用房|房屋|占有使用", sentence) else ""):
                # Floor area of premises the unit uses, not of a construction project it describes.
                label = "办公用房建筑总面积" if "办公用房" in sentence else m.group("label")
                found.append(Holding("floor_area", label, Decimal(m.group("n")), "平方米", sentence, page.number))
            for m in _EQUIPMENT.finditer(sentence):
                found.append(Holding("equipment", m.group("label"), Decimal(m.group("n")), "台（套）", sentence,
                                     page.number))
    return found

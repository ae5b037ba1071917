"""Tables of other cities' templates (../shared/corpus/national): every table the 目录 (or, without
one, the document's numbering) lists is found and classified, and the headline totals are read right.

Expected values were read off the PDFs by hand (page of the 支出总表 total row, of the 基本支出 figure
and of the income total in each comment); amounts in yuan. The non-disclosures of the corpus and the
narrative-only Beijing files are left out: they print no tables. The tables and totals are read
with the extraction stages alone (identification is tested elsewhere).
"""

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.catalog import classify_title
from pipelines.extract.pdftext import PdfText, squeeze
from pipelines.extract.tables import extract_tables
from pipelines.extract.toc import read_toc
from pipelines.normalise.tables import document_totals, normalise_table

NATIONAL = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "national"

CODES = {"ies": "income_expenditure_summary", "is": "income_summary", "es": "expenditure_summary",
         "as": "appropriation_summary", "ae": "appropriation_expenditure", "abe": "appropriation_basic_econ",
         "gbe": "general_budget_expenditure", "gbc": "general_budget_econ", "bee": "basic_expenditure_econ",
         "bef": "basic_expenditure_function", "gfe": "gov_fund_expenditure", "gfi": "gov_fund_income",
         "sc": "state_capital", "tp": "three_public", "oo": "office_operation", "pr": "procurement",
         "pe": "project_expenditure", "pec": "project_expenditure_carryover"}

# file: (tables listed, codes of the tables found in order (绩效目标表 and unclassified grids left out),
#        expenditure total, 基本支出, 项目支出, income total)
EXPECTED = {
    # 支出总表 p.9, 基本 not printed, income p.8
    '001_上海/2026年上海市发展和改革局_部门预算.pdf': (9, 'ies is es as gbe gfe sc bee tp',
        '118853953.00', None, '118853953.00', '118853953.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '001_上海/2026年上海市商务局_部门预算.pdf': (11, 'ies is es as ae gbe gfe sc bee pe tp',
        '7233086.00', '6963086.00', '270000.00', '7233086.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '001_上海/2026年上海市工业和信息化局_部门预算.pdf': (9, 'ies is es as gbe gfe sc bee tp',
        '866296.00', '800230.00', '66066.00', '866296.00'),
    # 支出总表 p.11, 基本 p.11, income p.9
    '001_上海/2026年上海市文化广电旅游体育局_部门预算.pdf': (9, 'ies is es as gbe gfe sc bee tp',
        '49385000.00', '44252600.00', '5132400.00', '49385000.00'),
    # 支出总表 p.11, 基本 p.11, income p.9
    '001_上海/2026年上海市退役军人事务局_部门预算.pdf': (9, 'ies is es as gbe gfe sc bee tp',
        '54837000.00', '14240877.00', '40596123.00', '54837000.00'),
    # 支出总表 p.27, 基本 p.27, income p.26
    '003_深圳/2026年深圳市住房和建设局部门预算.pdf': (11, 'ies is es bee pe as gbe gbc tp gfe sc',
        '344604600.00', '107565400.00', '237039200.00', '344604600.00'),
    # 支出总表 p.20, 基本 p.20, income p.19
    '003_深圳/2026年深圳市公安局交通管理局部门预算.pdf': (11, 'ies is es bee pe as gbe gbc tp gfe sc',
        '2544036800.00', '1536406500.00', '1007630300.00', '2544036800.00'),
    # 支出总表 p.21, 基本 p.21, income p.20
    '003_深圳/2026年深圳市城市管理和综合执法局部门预算.pdf': (11, 'ies is es bee pe as gbe gbc tp gfe sc',
        '106929000.00', '52746800.00', '54182200.00', '106929000.00'),
    # 支出总表 p.20, 基本 p.20, income p.19
    '003_深圳/2026年深圳市建筑工务署部门预算.pdf': (11, 'ies is es bee pe as gbe gbc tp gfe sc',
        '339345400.00', '207239000.00', '132106400.00', '339345400.00'),
    # 支出总表 p.20, 基本 p.20, income p.19
    '003_深圳/2026年深圳市民政局部门预算.pdf': (11, 'ies is es bee pe as gbe gbc tp gfe sc',
        '282834600.00', '55816900.00', '227017700.00', '282834600.00'),
    # 支出总表 p.12, 基本 p.12, income p.10
    '004_重庆/2026年重庆市人民政府办公厅部门预算.pdf': (12, 'ies is es as gbe bee gfe tp pr',
        '192301800.00', '90184700.00', '102117100.00', '192301800.00'),
    # 支出总表 p.12, 基本 p.12, income p.9
    '004_重庆/2026年重庆市商务委员会部门预算.pdf': (12, 'ies is es as gbe bee gfe tp pr',
        '1749006400.00', '566334900.00', '1182671400.00', '1749006400.00'),
    # 支出总表 p.12, 基本 p.12, income p.9
    '004_重庆/2026年重庆市科学技术局部门预算.pdf': (12, 'ies is es as gbe bee gfe tp pr',
        '1684418100.00', '66600100.00', '1617818000.00', '1684418100.00'),
    # 支出总表 p.12, 基本 p.12, income p.8
    '004_重庆/2026年重庆市经济和信息化委员会部门预算.pdf': (12, 'ies is es as gbe bee gfe tp pr',
        '2448950200.00', '837839400.00', '1611110800.00', '2448950200.00'),
    # 支出总表 p.15, 基本 p.15, income p.12
    '004_重庆/2026年重庆市规划和自然资源局部门预算.pdf': (12, 'ies is es as gbe bee gfe tp pr',
        '5834295600.00', '1480027700.00', '4354267900.00', '5834295600.00'),
    # 支出总表 p.8, 基本 p.8, income p.7
    '005_广州/2026年广州市人民政府办公厅部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '164107100.00', '149136500.00', '14970600.00', '164107100.00'),
    # 支出总表 p.7, 基本 p.7, income p.6
    '005_广州/2026年广州市宣传部部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '279007300.00', '111231800.00', '167775500.00', '279007300.00'),
    # 支出总表 p.8, 基本 p.8, income p.7
    '005_广州/2026年广州市规划和自然资源局部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '10144190300.00', '550664800.00', '9593525400.00', '10144190300.00'),
    # 支出总表 p.8, 基本 p.8, income p.7
    '005_广州/国有资产监督管理委员会_2026年部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '1192575200.00', '68290300.00', '1124284900.00', '1192575200.00'),
    # 支出总表 p.10, 基本 p.10, income p.9
    '005_广州/水务局_2026年部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '3001851900.00', '302456800.00', '2699395100.00', '3001851900.00'),
    # 支出总表 p.11, 基本 p.11, income p.10
    '006_苏州/2026年苏州市审计局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '46516700.00', '43121700.00', '3395000.00', '46516700.00'),
    # 支出总表 p.12, 基本 p.12, income p.11
    '006_苏州/2026年苏州市应急管理局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '70628000.00', '40696200.00', '29931800.00', '70628000.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '006_苏州/2026年苏州市数据局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '640907400.00', '68957400.00', '571950000.00', '640907400.00'),
    # 支出总表 p.14, 基本 p.14, income p.13
    '006_苏州/2026年苏州市科技创新局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '1862410000.00', '22818400.00', '1839591600.00', '1862410000.00'),
    # 支出总表 p.12, 基本 p.12, income p.11
    '006_苏州/生态环境局_2026年部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '411838400.00', '33732100.00', '378106300.00', '411838400.00'),
    # 支出总表 p.26, 基本 人员 + 公用 columns p.26, income p.24
    '008_杭州/2026年杭州市交通运输局部门预算.pdf': (11, 'ies is es as gbe bee tp gfe sc pe pe',
        '6659643700.00', '897932600.00', '5761711100.00', '6659643700.00'),
    # 支出总表 p.26, 基本 人员 + 公用 columns p.26, income p.25
    '008_杭州/2026年杭州市司法局部门预算.pdf': (11, 'ies is es as gbe bee tp gfe sc pe pe',
        '992304600.00', '707242900.00', '285061700.00', '992304600.00'),
    # 支出总表 p.16, 基本 p.16, income p.15
    '014_无锡/2026年无锡市交通运输局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '9847608700.00', '33058600.00', '9814550100.00', '9847608700.00'),
    # 支出总表 p.16, 基本 p.16, income p.15
    '014_无锡/2026年无锡市教育局部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '1313496000.00', '25314800.00', '1288181200.00', '1313496000.00'),
    # 支出总表 p.19, 基本 p.19, income p.18
    '014_无锡/人力资源和社会保障局_2026年部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '1541217600.00', '267903300.00', '1273314300.00', '1541217600.00'),
    # 支出总表 p.11, 基本 p.11, income p.10
    '014_无锡/商务局_2026年部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '174666500.00', '46704000.00', '127962500.00', '174666500.00'),
    # 支出总表 p.12, 基本 p.12, income p.11
    '014_无锡/应急管理局_2026年部门预算.pdf': (13, 'ies is es as ae abe gbe bee tp gfe sc oo pr',
        '90961100.00', '36043200.00', '54917900.00', '90961100.00'),
    # 支出总表 p.14, 基本 p.14, income p.13
    '015_长沙/2026年长沙市信访局部门预算.pdf': (10, 'ies is es as gbe bee tp gfe',
        '19353600.00', '15179500.00', '4174100.00', '19353600.00'),
    # 支出总表 p.15, 基本 p.15, income p.14
    '015_长沙/2026年长沙市公安局2025年部门预算.pdf': (10, 'ies is es as gbe bee tp gfe',
        '686321200.00', '283981700.00', '402339500.00', '686321200.00'),
    # 支出总表 p.14, 基本 p.14, income p.13
    '015_长沙/教育局_2026年部门预算.pdf': (10, 'ies is es as gbe bee tp gfe',
        '6567300.00', '3867300.00', '2700000.00', '6567300.00'),
    # 支出总表 p.10, 基本 p.10, income p.9
    '017_福州/2026年福州市公安局部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '27961400.00', '25078800.00', '2882600.00', '27961400.00'),
    # 支出总表 p.12, 基本 p.12, income p.11
    '017_福州/2026年福州市医疗保障局部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '3519049000.00', '78412600.00', '3440636400.00', '3519049000.00'),
    # 支出总表 p.14, 基本 p.14, income p.13
    '017_福州/2026年福州市民政局部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '22499200.00', '14516400.00', '7982800.00', '22499200.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '017_福州/2026年福州市生态环境局部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '13692700.00', '10632700.00', '3060000.00', '13692700.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '017_福州/公安局交通警察局_2026年部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '617648800.00', '309950700.00', '307698100.00', '617648800.00'),
    # 支出总表 p.27, 基本 p.25, income p.26
    '020_西安/2026年西安市财政局部门预算.pdf': (16, 'ies is es as gbe gbc bef bee gfe pe pec pr tp',
        '303312586.17', '79108250.17', '224204336.00', '303312586.17'),
    # 支出总表 p.31, 基本 p.27, income p.30
    '020_西安/交通运输局_2026年部门预算.pdf': (16, 'ies is es as gbe gbc bef bee gfe pe pec pr tp',
        '748683400.00', '194433400.00', '554249900.00', '748683400.00'),
    # 支出总表 p.38, 基本 p.36, income p.37
    # The totals are 收支总表's 总计 lines (issue 22.1): 支出总计 2273583740.03 = 本年支出合计 2271233740.03 + 结转下年
    # 2350000.00 (p.36).
    '020_西安/住房和建设局_2026年部门预算.pdf': (0, 'ies is es as gbe gbc bef bee gfe pe pec pr tp',
        '2273583740.03', '116390476.03', '2154843264.00', '2273583740.03'),
    # 支出总表 p.31, 基本 p.29, income p.30
    # 表2 收入总表 prints 480544221.6 (Excel General format), 表1 收入总计 480544221.62: the same figure; the totals
    # are 表1's 总计 lines (issue 22.1).
    '020_西安/医疗保障局_2026年部门预算.pdf': (16, 'ies is es as gbe gbc bef bee gfe pe pec pr tp',
        '480544221.62', '23111876.62', '457432345.00', '480544221.62'),
    # 支出总表 p.26, 基本 p.24, income p.25
    '020_西安/国有资产监督管理委员会_2026年部门预算.pdf': (16, 'ies is es as gbe gbc bef bee gfe pe pec pr tp',
        '25180591.33', '14587091.33', '10593500.00', '25180591.33'),
    # 支出总表 p.12, 基本 p.12, income p.11
    '021_泉州/2026年泉州市公安局部门预算.pdf': (10, 'ies is es as gbe gfe sc gbc bee tp',
        '812065600.00', '516917400.00', '295148200.00', '812065600.00'),
    # 支出总表 p.13, 基本 p.13, income p.10
    '025_烟台/2026年烟台市住房和城乡建设局部门预算.pdf': (12, 'ies is es as gbe bee tp gfe sc bee pe pr',
        '459672900.00', '161626900.00', '298046000.00', '459672900.00'),
    # 支出总表 p.13, 基本 p.13, income p.10
    '025_烟台/2026年烟台市工业和信息化局部门预算.pdf': (12, 'ies is es as gbe bee tp gfe sc bee pe pr',
        '53280600.00', '41264200.00', '12016400.00', '53280600.00'),
    # 支出总表 p.12, 基本 p.12, income p.10
    '025_烟台/2026年烟台市教育局部门预算.pdf': (12, 'ies is es as gbe bee tp gfe sc bee pe pr',
        '3154417200.00', '1817365300.00', '1337051900.00', '3154417200.00'),
    # 支出总表 p.8, 基本 p.8, income p.7
    '040_长春/2026年长春市信访局部门预算.pdf': (11, 'ies is es as gbe bee tp gfe pe sc',
        '16827600.00', '12082000.00', '4745600.00', '16827600.00'),
    # 支出总表 p.9, 基本 p.9, income p.8
    '077_珠海/2026年珠海市商务局部门预算.pdf': (12, 'ies is es as gbe bee pe tp gfe sc bee pe',
        '663079800.00', '75194400.00', '587885400.00', '663079800.00'),
    # 支出总表 p.25, 基本 人员 + 公用 columns p.25, income p.24
    '079_湖州/2026年湖州市交通运输局部门预算.pdf': (11, 'ies is es as gbe bee tp gfe sc pe pe',
        '2012861100.00', '298237000.00', '1712624100.00', '2012861100.00'),
    # 支出总表 p.29, 基本 人员 + 公用 columns p.29, income p.28
    '079_湖州/2026年湖州市卫生健康委员会部门预算.pdf': (11, 'ies is es as gbe bee tp gfe sc pe pe',
        '5153133500.00', '4634569400.00', '518564100.00', '5153133500.00'),
}


def _read(rel: str):
    path = NATIONAL / rel
    if not path.exists():
        pytest.skip(f"national corpus not found at {NATIONAL} (it sits beside the repo as ../shared)")
    with PdfText(path) as pdf:
        titles, toc_pages = read_toc(pdf.pages)
        units = Counter(u for p in pdf.pages for u in re.findall(r"单位[：:]\s*(万元|元)", squeeze(p.text)))
        tables = extract_tables(pdf, skip_pages=toc_pages)
    unit = units.most_common(1)[0][0] if units else None
    return titles, [normalise_table(t, unit, rel) for t in tables]


def _dec(v):
    return None if v is None else Decimal(v)


@pytest.mark.slow
@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_tables_and_totals(rel):
    listed, codes, expenditure, basic, project, income = EXPECTED[rel]
    titles, tables = _read(rel)
    assert len(titles) == listed
    found = [t.table.code for t in tables]
    assert [c for c in found if c not in ("performance_targets", "unclassified")] == [CODES[c] for c in codes.split()]
    # Every listed table is found, with the kind its 目录 (or numbering) entry names.
    assert not Counter(classify_title(t) for t in titles) - Counter(found)
    totals = document_totals(tables)
    assert (totals.expenditure_total, totals.basic_total, totals.project_total, totals.income_total) == (
        _dec(expenditure), _dec(basic), _dec(project), _dec(income))


@pytest.mark.slow
def test_text_camelot_places_a_row_off_is_read_where_printed():
    # Chongqing 科学技术局 表二 p.9: camelot puts the codes and amounts one row below their names
    # (“201 | 发展与改革事务 | 5,183.00”); the text layer prints them on the names' line.
    _, tables = _read("004_重庆/2026年重庆市科学技术局部门预算.pdf")
    income = next(t for t in tables if t.table.code == "income_summary")
    assert income.table.body_rows[1][:4] == ["201", "一般公共服务支出", "5,183.00", "5,183.00"]
    assert [(r.subject_code, r.subject_name) for r in income.subject_rows[1:3]] == [
        ("201", "一般公共服务支出"), ("20104", "发展与改革事务")]

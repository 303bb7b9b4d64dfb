"""Words of the dashboard's own interface, Vietnamese first. Domain labels live in ``metrics.i18n``."""

from __future__ import annotations

from ui.texts_access import TEXTS as ACCESS_TEXTS

TEXTS = {
    "app_title": ("Theo dõi chỉ tiêu Nghị quyết Đại hội Công đoàn", "Union congress targets"),
    "language": ("Ngôn ngữ", "Language"),
    "plan": ("Kế hoạch", "Plan"),
    "year": ("Năm", "Year"),
    "unit": ("Đơn vị", "Unit"),
    "as_of": ("Số liệu tại thời điểm", "Data as of"),
    "as_of_latest": ("Mới nhất", "Latest"),
    "unit_elsewhere": ("{unit} không có trong năm {year} (sắp xếp tổ chức): đang xem {shown}. Chọn lại năm khác để "
                       "xem {unit}.",
                       "{unit} did not exist in {year} (reorganisation): showing {shown}. Choose another year to see "
                       "{unit} again."),
    "unit_unknown": ("Không có đơn vị mã {code}: đang xem {shown}.", "There is no unit with the code {code}: showing {shown}."),
    "unit_help": ("Chọn một đơn vị cấp dưới (↳) để xem sâu hơn, hoặc một đơn vị cấp trên để quay lại.",
                  "Choose a unit below (↳) to look deeper, or one above to go back up."),
    "undo_of": ("hoàn tác đợt #{batch}", "undo of #{batch}"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_target": ("Chỉ tiêu", "Target"),
    "page_units": ("Đơn vị", "Units"),
    "page_about": ("Về số liệu", "About the data"),
    "page_present": ("Trình chiếu", "Presentation"),
    "not_found_title": ("Không có trang này", "No such page"),
    "not_found_text": ("Dashboard không có trang nào ở địa chỉ {address}. Có thể địa chỉ bị gõ nhầm hoặc đã cũ.",
                       "The dashboard has no page at {address}. The address may be mistyped or out of date."),
    "not_found_pages": ("Các trang bạn có thể mở:", "The pages you can open:"),
    "present_pin": ("Số liệu trình chiếu", "Data to present"),
    "present_pin_help": ("Bài trình chiếu dùng số liệu tại thời điểm sau đợt nhập đã chọn, nên trình chiếu lại sau "
                         "này vẫn y như cũ dù có nhập thêm số liệu.",
                         "The slides show the data as they were right after the chosen import, so showing them again "
                         "later gives the same slides whatever is imported meanwhile."),
    "present_auto": ("Tự động chuyển trang", "Advance automatically"),
    "present_auto_off": ("Không (bấm để chuyển)", "No (click to advance)"),
    "present_seconds": ("Mỗi {seconds} giây", "Every {seconds} seconds"),
    "present_start": ("Bắt đầu trình chiếu", "Start the presentation"),
    "present_downloads": ("Tải về để phát hành", "Files to hand out"),
    "present_contents": ("{count} trang:", "{count} slides:"),
    "present_title_slide": ("Trang bìa", "Title"),
    "present_prev": ("Trước", "Previous"),
    "present_next": ("Tiếp", "Next"),
    "present_exit": ("Thoát", "Exit"),
    "download_pptx": ("Bài trình chiếu (.pptx)", "Slides (.pptx)"),
    "download_pdf": ("Báo cáo (.pdf)", "Report (.pdf)"),
    "download_xlsx": ("Báo cáo (.xlsx)", "Report (.xlsx)"),
    "download_csv": ("Số liệu (.csv)", "Figures (.csv)"),
    "download_table_csv": ("Tải CSV", "Download CSV"),
    "download_table_xlsx": ("Tải Excel", "Download Excel"),
    "illustrative_banner": (
        "Đang hiển thị **số liệu minh họa** (demo) bên cạnh số liệu công bố; số liệu minh họa không phải "
        "số liệu chính thức.",
        "Showing **illustrative** (demo) figures beside published ones; illustrative figures are not official.",
    ),
    "error_generic": (
        "Đã xảy ra lỗi khi hiển thị trang này. Lỗi đã được ghi lại; hãy tải lại trang hoặc chọn kế hoạch/năm khác.",
        "Something went wrong while showing this page. The error was logged; reload the page or choose "
        "another plan or year.",
    ),
    "no_plan": (
        "Chưa có kế hoạch nào trong cơ sở dữ liệu. Hãy nạp các tệp của đơn vị mình: python -m metrics units import "
        "units.csv, rồi python -m metrics targets import plans.csv indicators.csv targets.csv (xem docs/data-files.md).",
        "There is no plan in the database yet. Load your own files: python -m metrics units import units.csv, then "
        "python -m metrics targets import plans.csv indicators.csv targets.csv (see docs/data-files.md).",
    ),
    "example": (" (ví dụ {code}: “{label}”)", " (e.g. {code}: “{label}”)"),
    "every_year": ("hằng năm", "every year"),
    "achieved_share": ("đạt", "achieved"),
    "deadline_passed": ("hết hạn năm {year}", "deadline {year}"),
    "pace_needed": ("mỗi năm cần {pace}", "needs {pace} a year"),
    "break_note": ("⚡ Chuỗi số liệu đổi đơn vị năm {years} (sắp xếp tổ chức): so sánh cần thận trọng.",
                   "⚡ The series changes unit in {years} (reorganisation): compare with care."),
    "see_detail": ("Xem chi tiết", "See detail"),
    "present_provisional": ("Gồm số liệu ◐ tạm tính (chưa duyệt)", "Include ◐ provisional figures (not approved)"),
    "present_provisional_help": ("Mặc định bài trình chiếu và báo cáo chỉ dùng số liệu đã duyệt.",
                                 "By default the slides and reports use approved figures only."),
    "approved_only": ("Chỉ số liệu đã duyệt", "Approved figures only"),
    "approved_only_help": ("Bỏ qua các đợt nhập chưa được duyệt (◐ tạm tính): mỗi ô giữ giá trị đã duyệt gần nhất.",
                           "Leave out the imports not yet approved (◐ provisional): each cell keeps its latest "
                           "approved value."),
    "provisional_banner": ("**◐ Có số liệu tạm tính**: đợt nhập {batches} chưa được duyệt; các chỉ tiêu có dấu ◐ "
                           "tính cả số liệu này. Bật «Chỉ số liệu đã duyệt» ở thanh bên để xem số liệu đã duyệt.",
                           "**◐ Includes provisional figures**: import {batches} is not approved yet; the targets "
                           "marked ◐ count them. Turn on “Approved figures only” in the sidebar to see approved "
                           "figures."),
    "provisional_as_of_banner": ("**◐ Có số liệu tạm tính**: đợt nhập {batches} của thời điểm này chưa được duyệt; "
                                 "các chỉ tiêu có dấu ◐ tính cả số liệu này.",
                                 "**◐ Includes provisional figures**: import {batches} of this state is not approved "
                                 "yet; the targets marked ◐ count them."),
    "approved_only_banner": ("Đang xem **chỉ số liệu đã duyệt**: không gồm đợt nhập tạm tính {batches}.",
                             "Showing **approved figures only**: leaving out provisional import {batches}."),
    "as_of_banner": ("Đang xem số liệu **tại thời điểm sau đợt nhập #{batch}**, không phải số liệu mới nhất.",
                     "Showing the data **as they were right after import #{batch}**, not the latest."),
    "term_targets": ("Chỉ tiêu đến hết nhiệm kỳ", "Targets for the end of the term"),
    "annual_targets": ("Chỉ tiêu hằng năm", "Annual targets"),
    "headlines": ("Chỉ tiêu chính", "Headline targets"),
    "table_view": ("Dạng bảng", "As a table"),
    "detail_title": ("Xem thêm", "More"),
    "detail_cards": ("Thẻ từng chỉ tiêu", "Every target's card"),
    "years_met_short": ("Số năm đạt", "Years met"),
    "col_trend": ("Xu hướng", "Trend"),
    "col_pace": ("Tiến độ cần", "Pace needed"),
    "col_unit": ("Đơn vị", "Unit"),
    "for_unit": ("Đơn vị: {unit} · năm {year}", "Unit: {unit} · {year}"),
    "no_units": ("Chỉ tiêu này không áp dụng cho đơn vị nào trong năm đã chọn.",
                 "This target applies to no unit in the chosen year."),
    "years_met_title": ("Cả nhiệm kỳ: số năm đạt", "Over the term: years met"),
    "expected_now": ("Theo lộ trình", "Expected by now"),
    "pace_per_year": ("Cần mỗi năm", "Needed each year"),
    "per_year": ("năm", "year"),
    "projection": ("Dự báo {year}", "Projection {year}"),
    "band": ("So với khung", "Against the band"),
    "breakdown": ("Theo đơn vị trực thuộc {unit} — năm {year}", "By unit under {unit} — {year}"),
    "not_reported": ("Chưa có số liệu: {units}", "No data yet: {units}"),
    "quotas_title": ("Chỉ tiêu giao các đơn vị — năm {year}", "Quotas given to the units — {year}"),
    "quotas_chart_help": ("Mỗi thanh: đơn vị chậm bao nhiêu so với tiến độ chỉ tiêu giao của mình (phần đơn vị gánh trong "
                          "khoảng thiếu của toàn tỉnh), nhiều nhất trước; đơn vị vượt tiến độ không gánh phần thiếu nào, "
                          "được nêu dưới biểu đồ và trong bảng. Màu và ký hiệu: trạng thái so với chỉ tiêu giao.",
                          "Each bar: how far the unit is behind the pace of its own quota (its part of the province's "
                          "shortfall), largest first; units ahead carry none of it and are named below the chart and "
                          "in the table. Colour and symbol: its status against its quota."),
    "quota": ("Chỉ tiêu giao", "Quota"),
    "allocate_title": ("Giao chỉ tiêu cho các đơn vị", "Divide the target among the units"),
    "allocate_help": ("Chia chỉ tiêu cho các công đoàn cấp trên cơ sở theo một quy tắc, xem trước rồi tải tệp về để sửa. "
                      "Quản trị viên nạp tệp ở trang Quản trị › Kế hoạch và chỉ tiêu (hoặc python -m metrics targets "
                      "import); trang này không ghi gì.",
                      "Divide the target among the upper-level unions by a rule, look at the quotas, then download "
                      "the file to edit. An administrator loads it on Administration › Plans and targets (or python "
                      "-m metrics targets import); nothing is written here."),
    "allocate_rule": ("Quy tắc chia", "Rule"),
    "allocate_weight": ("Chia theo (năm)", "Weighed by (year)"),
    "allocate_total": ("Tổng các mức giao: {total} (chỉ tiêu: {target}).", "Quotas in all: {total} (target: {target})."),
    "allocate_download": ("Tải tệp chỉ tiêu giao (CSV)", "Download the quotas file (CSV)"),
    "quota_cells": ("Đơn vị được giao chỉ tiêu (chỉ tiêu giao) được đánh giá so với chỉ tiêu giao của mình, không phải "
                    "chỉ tiêu của toàn tỉnh; các đơn vị khác so với chỉ tiêu của tỉnh.",
                    "A unit given a quota is judged against its own quota, not the province's target; the others "
                    "against the province's target."),
    "quota_ranking": ("Mỗi đơn vị được đánh giá so với chỉ tiêu giao của mình: thanh ghi thực hiện / chỉ tiêu giao.",
                      "Each unit is judged against its own quota: each bar reads actual / quota."),
    "judged_against": ("Đánh giá so với", "Judged against"),
    "quota_given": ("chỉ tiêu giao", "its quota"),
    "plan_target": ("chỉ tiêu của kế hoạch", "the plan's target"),
    "quota_status": ("Trạng thái (so với chỉ tiêu giao)", "Status (against its quota)"),
    "quota_remaining": ("Còn phải thực hiện", "Still to do"),
    "quota_behind": ("Chậm so với tiến độ", "Behind the pace"),
    "about_target": ("Chỉ tiêu và nguồn số liệu", "The target and its sources"),
    "source": ("Nguồn", "Source"),
    "resolution_words": ("Nguyên văn Nghị quyết", "The resolution's words, in Vietnamese"),
    "source_document": ("Nguồn", "Source (a Vietnamese document)"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "reported": ("Đơn vị báo cáo", "Units reported"),
    "provenance": ("Loại số liệu", "Kind of figure"),
    "period_total": ("Nhiệm kỳ {start}–{end}: {value} (nguồn: {source})", "Term {start}–{end}: {value} (source: {source})"),
    "units_below": ("{unit} và {count} đơn vị trực thuộc (năm {year}). Chọn một đơn vị trực thuộc ở thanh bên để xem "
                    "sâu hơn.",
                    "{unit} and its {count} units below (in {year}). Choose a unit below in the sidebar to look "
                    "deeper."),
    "not_ranked": ("Chỉ tiêu đang chọn ({target}) không đặt cho các đơn vị trực thuộc: đang xếp hạng theo {shown}.",
                   "The chosen target ({target}) is not set for the units below: ranking on {shown}."),
    "units_view": ("Xem", "View"),
    "tab_matrix": ("Ma trận đơn vị × chỉ tiêu", "Units × targets"),
    "tab_ranking": ("Xếp hạng theo chỉ tiêu", "Ranking on a target"),
    "tab_unit": ("Đơn vị đang chọn", "Selected unit"),
    "level": ("Cấp", "Level"),
    "matrix_help": ("Mỗi ô là đánh giá của một chỉ tiêu tại một đơn vị: {legend}; ô trống: chỉ tiêu không áp dụng.",
                    "Each cell is one target at one unit: {legend}; blank: the target does not apply."),
    "no_targets_for_unit": ("Không có chỉ tiêu nào của kế hoạch áp dụng cho đơn vị này.",
                            "No target of the plan applies to this unit."),
    "official_code": ("mã", "code"),
    "parent": ("trực thuộc", "under"),
    "valid_from": ("Hoạt động từ {start}", "Active from {start}"),
    "valid_to": ("đến {end}", "to {end}"),
    "successor": ("kế thừa bởi {unit}", "continued by {unit}"),
    "predecessors": ("kế thừa từ {units}", "continues {units}"),
    "children": ("{count} đơn vị trực thuộc (năm {year})", "{count} units below (in {year})"),
    "series_break": ("Đổi đơn vị", "Unit change"),
    "kinds_title": ("Loại số liệu theo năm", "Kinds of figures by year"),
    "no_values": ("Chưa có số liệu nào.", "There are no figures yet."),
    "completeness_title": ("Mức độ đầy đủ của báo cáo", "Completeness of reporting"),
    "completeness_of": ("Các đơn vị báo cáo cho {unit} (chọn đơn vị khác ở thanh bên).",
                        "The units reporting to {unit} (choose another unit in the sidebar)."),
    "all_reported": ("Mọi đơn vị đã báo cáo đủ số liệu năm {year}.", "Every unit has reported all figures for {year}."),
    "missing_title": ("Đơn vị chưa báo cáo đủ năm {year}", "Units that have not reported everything for {year}"),
    "missing_count": ("Số chỉ số còn thiếu", "Figures missing"),
    "missing_list": ("Còn thiếu", "Missing"),
    "overdue_title": ("Đơn vị trễ hạn báo cáo năm {year}", "Units late with {year}'s figures"),
    "overdue_on": ("Tính số ngày trễ đến ngày", "Count the days late up to"),
    "overdue_download_pdf": ("Tải thư đôn đốc (PDF, mỗi đơn vị một trang)",
                             "Download reminder letters (PDF in Vietnamese, a page per unit)"),
    "overdue_file": ("tre-han-bao-cao", "late-reports"),
    "overdue_letters_file": ("thu-don-doc", "reminder-letters"),
    "published_title": ("Số liệu công bố và nguồn", "Published figures and their sources"),
    "period_totals_title": ("Số liệu cả nhiệm kỳ trước", "Figures for a whole earlier term"),
    "indicator": ("Chỉ số", "Indicator"),
    "note": ("Ghi chú", "Note"),
    "period": ("Giai đoạn", "Period"),
    "method_title": ("Cách đánh giá", "How progress is judged"),
    "method_text": (
        "- **Chỉ tiêu đạt mức đến cuối nhiệm kỳ**{level}: so sánh tốc độ tăng bình quân "
        "hằng năm thực tế từ năm gốc với tốc độ cần có để đạt chỉ tiêu (phương pháp của Thống kê Canada, dùng trong "
        "Open SDG). Đạt từ 95% tốc độ cần có trở lên: *Đúng tiến độ*; từ 60%: *Cần đẩy nhanh*; dưới 60%: *Chậm tiến "
        "độ*; giảm: *Đi lùi*. Đã đạt mức chỉ tiêu thì là *Đã đạt*, dù xu hướng thế nào. Từ năm đích trở đi chỉ còn "
        "*Đã đạt* hoặc *Chưa đạt*.\n"
        "- **Chỉ tiêu cộng dồn cả nhiệm kỳ**{cumulative}: so tổng đã thực hiện với phần chỉ tiêu "
        "lẽ ra phải đạt đến nay nếu chia đều mỗi năm.\n"
        "- **Chỉ tiêu hằng năm**{annual}: năm được xem là *Đã đạt* hoặc *Chưa đạt*; xu hướng so với năm "
        "trước (tốt hơn, kém hơn) chỉ ghi kèm, không phải là kết quả đánh giá; số năm đạt cả nhiệm kỳ được đếm riêng.\n"
        "- **Cộng số liệu các đơn vị**: số đoàn viên, số căn nhà được cộng lại; tỷ lệ được tính bằng tổng tử số chia "
        "tổng mẫu số (không lấy trung bình các tỷ lệ); bình quân mỗi CĐCS bằng tổng số lượng chia tổng số CĐCS.\n"
        "- **Chưa đủ dữ liệu** là một trạng thái riêng, không bao giờ được coi là 0.\n"
        "- **Sắp xếp tổ chức năm 2025**: khi một đơn vị được hợp nhất hoặc giải thể, chuỗi số liệu chuyển sang đơn vị "
        "kế thừa và được đánh dấu ⚡ để người xem biết số liệu trước và sau không hoàn toàn so sánh được. Đơn vị mới "
        "hợp nhất từ nhiều đơn vị có số liệu các năm trước là tổng của các đơn vị cũ (*tái lập*, khi đủ số liệu của "
        "mọi đơn vị); tốc độ tăng chỉ tính giữa các năm cùng một phạm vi, không tính qua năm hợp nhất.",
        "- **Level targets**{level}: the average yearly growth since the baseline is compared "
        "with the growth the target requires (Statistics Canada's method, used by Open SDG). At least 95% of the "
        "required growth: *On track*; at least 60%: *Needs acceleration*; below: *Limited progress*; falling: "
        "*Deteriorating*. A target already reached is *Achieved*, whatever the trend. From its target year on it is "
        "only *Achieved* or *Not achieved*.\n"
        "- **Cumulative targets**{cumulative}: the total so far against the share of the target "
        "expected by now on a straight line.\n"
        "- **Annual targets**{annual}: the year is *Target achieved* or *Not achieved*; the trend on the "
        "year before (better, worse) is shown beside it, never as the status; the years met are counted apart.\n"
        "- **Adding up units**: members and houses are summed; a ratio is the sum of numerators over the sum of "
        "denominators (never the mean of percentages); a per-union average is the total count over the number of "
        "unions.\n"
        "- **Not enough data** is a state of its own, never counted as zero.\n"
        "- **The 2025 reorganisation**: when a unit is merged or dissolved, its series passes to the successor and is "
        "marked ⚡, because figures before and after are not fully comparable. A unit formed by merging several has, "
        "for the years before, the sum of the old units' figures (*reconstructed*, when every one of them has a "
        "figure); growth is counted only between years on the same footing, never across the merger."),
    "not_for_unit": ("Chỉ tiêu này không áp dụng riêng cho {unit}; đang hiển thị {root}.",
                     "This target does not apply to {unit} on its own; showing {root}."),
    "contributions": ("Chỉ tiêu này đặt cho toàn tỉnh: biểu đồ cho thấy phần đóng góp của từng đơn vị, không đánh giá "
                      "riêng từng đơn vị.",
                      "This target is set for the province: the chart shows each unit's contribution, without "
                      "judging units on their own."),
    "status_strip": ("Toàn cảnh", "At a glance"),
    "break_banner": ("⚡ Chuỗi số liệu của {unit} đổi đơn vị năm {years} (sắp xếp tổ chức năm 2025): số liệu trước và sau "
                     "không hoàn toàn so sánh được.",
                     "⚡ The series of {unit} changes unit in {years} (the 2025 reorganisation): figures before and after "
                     "are not fully comparable."),
    "reconstructed_note": ("Số liệu năm {years} của {unit} là **tái lập**: cộng các đơn vị trước hợp nhất ({units}).",
                           "The figures of {unit} for {years} are **reconstructed**: the sum of the units before the "
                           "merger ({units})."),
    "reconstructed_col": ("Tái lập (cộng các đơn vị trước hợp nhất)", "Reconstructed (sum of the units before the merger)"),
    "not_reconstructed": ("chưa tái lập được: thiếu số liệu của {units}", "not reconstructed: no figure of {units}"),
    "as_was_title": ("Trước hợp nhất — từng đơn vị", "Before the merger — each unit"),
    "as_was_help": ("Số liệu riêng của từng đơn vị trước hợp nhất và tổng của các đơn vị (số liệu tái lập của {unit}).",
                    "Each unit's own figure before the merger, and their total (the reconstructed figure of {unit})."),
    "as_was_total": ("Tổng (tái lập)", "Total (reconstructed)"),
    "col_group": ("Nhóm", "Group"),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_actual": ("Thực hiện", "Actual"),
    "col_target_value": ("Chỉ tiêu đề ra", "Target value"),
    "col_achievement": ("Đạt (%)", "Achieved (%)"),
    "col_status": ("Đánh giá", "Status"),
    "col_year": ("Năm số liệu", "Data year"),
    # --- Nhập dữ liệu (views/import.py) ---
    "page_intake": ("Nhập dữ liệu", "Import data"),
    "intake_intro": ("Tải lên tệp CSV hoặc Excel số liệu hằng năm. Tệp được kiểm tra và xem trước; chỉ khi bạn xác nhận "
                     "thì số liệu mới được ghi, và mỗi lần nhập đều hoàn tác được.",
                     "Upload a CSV or Excel file of yearly figures. It is checked and previewed; nothing is written "
                     "until you confirm, and every import can be undone."),
    "tab_upload": ("Tải tệp lên", "Upload"),
    "tab_history": ("Lịch sử nhập", "History"),
    "tab_templates": ("Tệp mẫu", "Templates"),
    "intake_plan": ("Số liệu cho kế hoạch", "Figures for the plan"),
    "intake_scope": ("Phạm vi của bạn: {unit} và các đơn vị trực thuộc. Tệp có dòng của đơn vị khác sẽ không được "
                     "nhập; mẫu nhập chỉ gồm các đơn vị này.",
                     "Your scope: {unit} and the units below it. A file with a row of another unit is not imported; "
                     "templates hold only these units."),
    "intake_file": ("Tệp số liệu (CSV hoặc Excel .xlsx)", "Values file (CSV or Excel .xlsx)"),
    "intake_file_help": ("Mỗi dòng một đơn vị × chỉ số × năm (đơn vị, chỉ tiêu, năm, giá trị — hoặc tử số và mẫu số), "
                         "hoặc mỗi năm một cột. Tiêu đề tiếng Việt hay tiếng Anh, có dấu hay không dấu đều được.",
                         "One row per unit × indicator × year (unit, indicator, year, value — or numerator and "
                         "denominator), or one column per year. Headers in Vietnamese or English, with or without "
                         "diacritics."),
    "intake_sheet": ("Trang tính", "Sheet"),
    "backup_refused": ("Không tạo bản sao lưu: tài khoản này không còn là quản trị viên đang đăng nhập. Hãy đăng nhập "
                       "lại bằng tài khoản quản trị.",
                       "No backup was made: this account is no longer a signed-in administrator. Sign in again "
                       "with an administrator's account."),
    "intake_sheet_hidden": ("{sheet} (trang ẩn)", "{sheet} (hidden sheet)"),
    "intake_check": ("Kiểm tra tệp", "Check the file"),
    "progress_reading": ("Đang đọc tệp…", "Reading the file…"),
    "progress_checking": ("Đang kiểm tra từng dòng…", "Checking every row…"),
    "progress_comparing": ("Đang so sánh với số liệu hiện có…", "Comparing with the figures in the database…"),
    "progress_writing": ("Đang ghi…", "Writing…"),
    "intake_rejected": ("Tệp có {errors} lỗi nên **không thể nhập**; chưa có gì được ghi. Hãy sửa các lỗi dưới đây "
                        "(tải tệp kèm cột lỗi để sửa nhanh) rồi tải lên lại.",
                        "The file has {errors} errors, so it **cannot be imported**; nothing was written. Fix the "
                        "problems below (download the file with an error column to fix them quickly) and upload it "
                        "again."),
    "intake_truncated": ("Chỉ liệt kê {shown} vấn đề đầu tiên; số lượng theo loại ở trên là đầy đủ.",
                         "Only the first {shown} problems are listed; the counts by kind above are complete."),
    "intake_counts_title": ("Số vấn đề theo loại", "Problems by kind"),
    "intake_problems_title": ("Danh sách vấn đề", "Every problem"),
    "intake_download_errors": ("Tải tệp kèm cột lỗi", "Download the file with an error column"),
    "intake_warnings_title": ("Cảnh báo (không chặn việc nhập)", "Warnings (they do not stop the import)"),
    "intake_ok": ("Tệp hợp lệ. Xem trước các thay đổi rồi xác nhận để ghi.",
                  "The file is valid. Review the changes, then confirm to write them."),
    "intake_nothing": ("Mọi giá trị trong tệp đều đã có sẵn: không có gì để nhập.",
                       "Every value in the file is already there: there is nothing to import."),
    "count_created": ("Tạo mới", "Created"),
    "count_updated": ("Cập nhật số liệu", "Figures updated"),
    "count_annotated": ("Chỉ đổi nguồn/ghi chú", "Source/note only"),
    "intake_skipped": ("{rows} dòng không có số liệu được bỏ qua (số đã có không bị xóa).",
                       "{rows} rows without a figure were skipped (figures already there stay)."),
    "count_unchanged": ("Không đổi", "Unchanged"),
    "count_rejected": ("Dòng bị từ chối", "Rejected rows"),
    "intake_changes_title": ("Số liệu thay đổi", "Changed figures"),
    "intake_texts_title": ("Nguồn, ghi chú thay đổi", "Changed sources and notes"),
    "intake_changes_more": ("Hiển thị {shown} trong {total} thay đổi.", "Showing {shown} of {total} changes."),
    "intake_status_title": ("Đánh giá chỉ tiêu sẽ thay đổi (toàn tỉnh)", "Target statuses that will change (province)"),
    "intake_no_status_change": ("Không đánh giá chỉ tiêu nào của toàn tỉnh thay đổi.",
                                "No target status of the province changes."),
    "intake_confirm": ("Xác nhận nhập {count} giá trị", "Confirm: import {count} values"),
    "intake_done": ("Đã nhập đợt #{batch}: {count} giá trị. Có thể hoàn tác ở thẻ Lịch sử nhập.",
                    "Imported batch #{batch}: {count} values. You can undo it under History."),
    "col_row": ("Dòng", "Row"),
    "col_column": ("Cột", "Column"),
    "col_value": ("Giá trị trong tệp", "Value in the file"),
    "col_code": ("Loại vấn đề", "Kind of problem"),
    "col_severity": ("Mức", "Level"),
    "col_message": ("Nội dung", "What to do"),
    "col_count": ("Số lượng", "Count"),
    "col_indicator": ("Chỉ số", "Indicator"),
    "col_old": ("Cũ", "Old"),
    "col_new": ("Mới", "New"),
    "col_old_source": ("Nguồn cũ", "Old source"),
    "col_new_source": ("Nguồn mới", "New source"),
    "col_old_note": ("Ghi chú cũ", "Old note"),
    "col_new_note": ("Ghi chú mới", "New note"),
    "col_change": ("Thay đổi", "Change"),
    "col_values": ("Giá trị", "Value"),
    "severity_error": ("Lỗi", "Error"),
    "severity_warning": ("Cảnh báo", "Warning"),
    "history_empty": ("Chưa có đợt nhập nào.", "There are no imports yet."),
    "col_batch": ("Đợt", "Batch"),
    "col_time": ("Thời điểm", "Time"),
    "col_file": ("Tệp", "File"),
    "col_rows": ("Số giá trị", "Values"),
    "col_user": ("Người nhập", "User"),
    "col_state": ("Trạng thái", "State"),
    "state_active": ("Đang dùng", "Active"),
    "state_rolled_back": ("Đã hoàn tác (#{by})", "Undone (#{by})"),
    "col_approval": ("Duyệt", "Approval"),
    "approval_approved": ("✓ Đã duyệt ({by})", "✓ Approved ({by})"),
    "approval_provisional": ("◐ Tạm tính (chưa duyệt)", "◐ Provisional (not approved)"),
    "approve_button": ("Duyệt đợt #{batch}", "Approve batch #{batch}"),
    "approve_needs_role": ("Đợt #{batch} đang tạm tính; chỉ người duyệt số liệu hoặc quản trị viên duyệt được.",
                           "Batch #{batch} is provisional; only an approver or an administrator can approve it."),
    "approve_done": ("Đã duyệt đợt #{batch}: số liệu của đợt này không còn là tạm tính.",
                     "Batch #{batch} was approved: its figures are no longer provisional."),
    "undo_needs_approver": ("Đợt #{batch} đã được duyệt: chỉ người duyệt số liệu hoặc quản trị viên hoàn tác được.",
                            "Batch #{batch} is approved: only an approver or an administrator can undo it."),
    "undo_status_title": ("Đánh giá chỉ tiêu sẽ thay đổi nếu hoàn tác", "Target statuses that the undo would change"),
    "undo_no_status_change": ("Hoàn tác đợt này không làm thay đổi đánh giá chỉ tiêu nào của kế hoạch.",
                              "Undoing this batch changes no target's status in the plan."),
    "history_choose": ("Chọn đợt nhập", "Choose a batch"),
    "history_view_as_of": ("Xem dashboard tại thời điểm sau đợt #{batch}", "View the dashboard as right after batch #{batch}"),
    "undo_button": ("Hoàn tác đợt #{batch}…", "Undo batch #{batch}…"),
    "undo_question": ("Hoàn tác đợt #{batch} ({file}, {rows} giá trị)? Các ô của đợt này trở về giá trị trước đó; các đợt "
                      "khác giữ nguyên. Việc hoàn tác cũng được ghi vào lịch sử.",
                      "Undo batch #{batch} ({file}, {rows} values)? Its cells go back to what they were before; other "
                      "batches stay. The undo itself is recorded in the history."),
    "undo_confirm": ("Xác nhận hoàn tác", "Confirm undo"),
    "cancel": ("Hủy", "Cancel"),
    "undo_done": ("Đã hoàn tác đợt #{batch}.", "Batch #{batch} was undone."),
    "template_intro": ("Tải tệp mẫu có sẵn đơn vị, chỉ số, tên và đơn vị tính; điền giá trị rồi tải lên ở thẻ Tải tệp "
                       "lên, nguyên như vậy: dòng để trống được bỏ qua, dòng ghi “tổng của các đơn vị trực thuộc” tự "
                       "cộng từ các đơn vị ở dưới.",
                       "Download a template with units, indicators, names and measures; fill in the values and upload "
                       "it under Upload as it is: rows left blank are skipped, rows marked “the sum of the units "
                       "below” add up by themselves."),
    "template_year": ("Năm", "Year"),
    "template_units": ("Đơn vị (để trống: toàn tỉnh và các công đoàn cấp trên)",
                       "Units (empty: the province and its upper-level unions)"),
    "template_units_placeholder": ("Chọn đơn vị…", "Choose units…"),
    "template_rows": ("Tệp mẫu có {rows} dòng cần điền.", "The template has {rows} rows to fill."),
    "template_filled": ("Điền sẵn số liệu hiện hành (để sửa)", "Filled with the figures in force (to correct)"),
    "template_filled_help": ("Mỗi ô có số liệu đang dùng của đơn vị trong năm đó; sửa ô cần sửa rồi nhập lại tệp: ô không "
                             "đổi không bị ghi lại.",
                             "Each cell holds the unit's figure in force for that year; change the cells to correct and "
                             "import the file again: unchanged cells are not written again."),
    "template_csv": ("Tải mẫu CSV", "Download CSV template"),
    "template_xlsx": ("Tải mẫu Excel", "Download Excel template"),
    **ACCESS_TEXTS,  # sign-in, roles, denials, administration
}


def t(key: str, lang: str) -> str:
    vi, en = TEXTS[key]
    return vi if lang == "vi" else en

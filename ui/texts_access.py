"""Words of sign-in, roles, denials and the administration page (merged into ``ui.texts.TEXTS``)."""

from __future__ import annotations

TEXTS = {
    "sign_in_title": ("Đăng nhập", "Sign in"),
    "sign_in_intro": ("Số liệu chính thức của Liên đoàn: hãy đăng nhập bằng tài khoản được quản trị viên cấp.",
                      "The federation's official figures: sign in with the account an administrator gave you."),
    "sign_in_public": ("Người xem không cần đăng nhập; cán bộ nghiệp vụ và quản trị viên đăng nhập để nhập số liệu "
                       "và quản trị.",
                       "Viewers need no account; analysts and administrators sign in to import figures and to "
                       "administer."),
    "sign_in_form": ("Đăng nhập", "Sign in"),
    "sign_in_username": ("Tên đăng nhập", "User name"),
    "sign_in_password": ("Mật khẩu", "Password"),
    "sign_in_button": ("Đăng nhập", "Sign in"),
    "sign_in_failed": ("Tên đăng nhập hoặc mật khẩu không đúng. Hãy thử lại; nếu quên mật khẩu, hãy nhờ quản trị viên "
                       "đặt lại.",
                       "Wrong user name or password. Try again; if you forgot your password, ask an administrator to "
                       "reset it."),
    "sign_in_done": ("Đăng nhập thành công; đang mở trang…", "Signed in; opening the page…"),
    "sign_in_continue": ("Tiếp tục", "Continue"),
    "sign_in_locked": ("Có quá nhiều lần đăng nhập sai với tên này; hãy đợi {minutes} phút rồi thử lại, hoặc nhờ quản "
                       "trị viên đặt lại mật khẩu.",
                       "Too many failed sign-ins with this name; wait {minutes} minutes and try again, or ask an "
                       "administrator to reset the password."),
    "sign_in_no_users": ("Chưa có tài khoản nào. Người quản trị máy chủ tạo tài khoản quản trị đầu tiên bằng lệnh: "
                         "python -m metrics users add TÊN --role admin",
                         "There is no account yet. The server's administrator creates the first one with: "
                         "python -m metrics users add NAME --role admin"),
    "signed_in_as": ("Đang đăng nhập: {name} · {role}", "Signed in: {name} · {role}"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "denied": ("Trang “{page}” dành cho {needed}; bạn đang đăng nhập với vai trò {role}. Nếu bạn cần trang này, hãy "
               "nhờ quản trị viên cấp quyền.",
               "The page “{page}” is for {needed}; you are signed in as {role}. If you need it, ask an "
               "administrator for access."),
    "denied_anonymous": ("Trang này cần đăng nhập. Hãy mở trang chủ của dashboard và đăng nhập.",
                         "This page needs you to sign in. Open the dashboard's home page and sign in."),
    "database_problem": ("Dashboard không mở được cơ sở dữ liệu nên chưa hiển thị gì.",
                         "The dashboard cannot open its database, so it shows nothing yet."),
    "page_admin": ("Quản trị", "Administration"),
    "admin_intro": ("Người dùng và vai trò, nhật ký thao tác, kế hoạch và chỉ tiêu, hạn báo cáo, sao lưu toàn bộ dữ liệu.",
                    "Users and roles, the audit log, plans and targets, reporting deadlines, a backup of all the data."),
    "tab_users": ("Người dùng", "Users"),
    "tab_audit": ("Nhật ký", "Audit log"),
    "tab_targets": ("Kế hoạch và chỉ tiêu", "Plans and targets"),
    "tab_backup": ("Sao lưu", "Backup"),
    "tab_deadlines": ("Hạn báo cáo", "Reporting deadlines"),
    "deadlines_intro": ("Hạn gửi số liệu của từng năm, theo kế hoạch. Trang Về số liệu tính các đơn vị trễ hạn từ "
                        "ngày này; đặt lại một năm sẽ thay hạn cũ. Mọi thay đổi được ghi vào nhật ký.",
                        "The date each year's figures are due, per plan. The About page counts the units late from "
                        "it; setting a year again replaces its deadline. Every change is recorded in the audit log."),
    "deadlines_none": ("Chưa đặt hạn báo cáo nào.", "No reporting deadline is set yet."),
    "deadline_year": ("Năm số liệu", "Year of the figures"),
    "deadline_date": ("Hạn báo cáo", "Deadline"),
    "deadline_note": ("Ghi chú (văn bản quy định hạn)", "Note (the document that sets it)"),
    "deadline_set": ("Đặt hạn", "Set the deadline"),
    "deadline_done": ("Đã đặt hạn báo cáo số liệu năm {year} của kế hoạch {plan}: {date}.",
                      "Set the deadline of plan {plan}'s figures for {year}: {date}."),
    "deadline_missing": ("Hãy chọn ngày hạn báo cáo.", "Choose the deadline's date."),
    "col_set_by": ("Người đặt", "Set by"),
    "col_username": ("Tên đăng nhập", "User name"),
    "col_display_name": ("Họ tên", "Name"),
    "col_role": ("Vai trò", "Role"),
    "col_scope": ("Phạm vi đơn vị", "Unit scope"),
    "scope_everything": ("Toàn liên đoàn", "The whole federation"),
    "user_scope_help": ("Người dùng chỉ nhập, hoàn tác và lấy mẫu nhập cho đơn vị này và các đơn vị trực thuộc.",
                        "The user imports, undoes and takes templates only for this unit and the units below it."),
    "user_scope_button": ("Đổi phạm vi", "Change the scope"),
    "user_scope_done": ("{username}: phạm vi mới là {scope}.", "{username}: the scope is now {scope}."),
    "col_active": ("Đang hoạt động", "Active"),
    "col_created": ("Tạo lúc", "Created"),
    "col_updated": ("Sửa lúc", "Updated"),
    "col_action": ("Thao tác", "Action"),
    "col_detail": ("Chi tiết", "Detail"),
    "col_source": ("Thực hiện trên", "From"),
    "source_web": ("trang web", "the dashboard"),
    "source_cli": ("dòng lệnh", "command line"),
    "user_add_title": ("Thêm người dùng", "Add a user"),
    "user_password_repeat": ("Nhập lại mật khẩu", "Repeat the password"),
    "user_password_help": ("Ít nhất 10 ký tự, tối đa 72 byte (chữ có dấu tính 2–3 byte).",
                           "At least 10 characters, at most 72 bytes (letters with diacritics count 2–3)."),
    "user_add_button": ("Thêm", "Add"),
    "user_added": ("Đã thêm {username} ({role}).", "Added {username} ({role})."),
    "user_change_title": ("Sửa một người dùng", "Change a user"),
    "user_choose": ("Người dùng", "User"),
    "user_role_button": ("Đổi vai trò", "Change the role"),
    "user_role_done": ("{username}: vai trò mới là {role}.", "{username}: the role is now {role}."),
    "user_password_title": ("Đặt lại mật khẩu", "Reset the password"),
    "user_password_button": ("Đặt mật khẩu mới", "Set the new password"),
    "user_password_done": ("Đã đặt mật khẩu mới cho {username}.", "Set a new password for {username}."),
    "user_deactivate_button": ("Khóa tài khoản", "Deactivate"),
    "user_activate_button": ("Mở lại tài khoản", "Reactivate"),
    "user_deactivated": ("Đã khóa tài khoản {username}.", "Deactivated {username}."),
    "user_activated": ("Đã mở lại tài khoản {username}.", "Reactivated {username}."),
    "passwords_differ": ("Hai lần nhập mật khẩu không giống nhau; không thay đổi gì.",
                         "The two passwords differ; nothing was changed."),
    "audit_filter_user": ("Người thực hiện", "Who"),
    "audit_filter_actions": ("Thao tác", "Actions"),
    "audit_filter_period": ("Thời gian", "Period"),
    "audit_everyone": ("Mọi người", "Everyone"),
    "audit_all_actions": ("Mọi thao tác", "Every action"),
    "audit_shown": ("{count} dòng, mới nhất trước.", "{count} rows, newest first."),
    "targets_intro": ("Tải lên tệp kế hoạch, chỉ số, chỉ tiêu và/hoặc số liệu cả giai đoạn (CSV hoặc Excel, tiêu đề tiếng "
                      "Việt hoặc tiếng Anh; xem docs/data-files.md). Chương trình kiểm tra và cho xem trước các thay đổi; "
                      "chỉ khi bạn xác nhận mới ghi. Tệp được gộp vào dữ liệu đã có: những gì không có trong tệp được "
                      "giữ nguyên.",
                      "Upload plans, indicators, targets and/or period totals files (CSV or Excel, English or Vietnamese "
                      "headers; see docs/data-files.md). They are checked and the changes previewed; nothing is written "
                      "until you confirm. The files are merged into what is there: what they do not hold stays."),
    "targets_files": ("Tệp kế hoạch, chỉ số, chỉ tiêu, số liệu cả giai đoạn", "Plans, indicators, targets, period totals files"),
    "targets_replace": ("Thay toàn bộ danh sách chỉ tiêu của các kế hoạch trong tệp (xóa chỉ tiêu không có trong tệp)",
                        "Replace the whole target list of the plans in the files (remove targets not in them)"),
    "targets_warnings": ("Cảnh báo (không chặn việc ghi):", "Warnings (they do not stop the load):"),
    "targets_check": ("Kiểm tra", "Check"),
    "targets_confirm": ("Xác nhận ghi", "Confirm and write"),
    "targets_ok": ("Các tệp hợp lệ. Xem trước thay đổi dưới đây rồi xác nhận.",
                   "The files are valid. See the changes below, then confirm."),
    "targets_rejected": ("Các tệp có lỗi nên không được ghi. Hãy sửa các lỗi dưới đây rồi kiểm tra lại.",
                         "The files have errors, so nothing is written. Fix the problems below and check again."),
    "targets_done": ("Đã ghi kế hoạch và chỉ tiêu ({counts}).", "Plans and targets written ({counts})."),
    "backup_intro": ("Toàn bộ cơ sở dữ liệu (số liệu, lịch sử nhập, kế hoạch, đơn vị, người dùng, nhật ký) trong một tệp "
                     ".zip. Khôi phục trên máy chủ bằng: python -m metrics restore TỆP.zip --db TỆP_MỚI.duckdb (trên PostgreSQL: "
                     "--db postgresql://…, thêm --force để thay cơ sở dữ liệu đang có). Tệp có "
                     "chứa mật khẩu đã băm của người dùng: hãy cất giữ cẩn thận.",
                     "The whole database (figures, import history, plans, units, users, audit log) in one .zip. "
                     "Restore it on the server with: python -m metrics restore FILE.zip --db NEW.duckdb (on PostgreSQL: "
                     "--db postgresql://…, with --force to replace the database in use). It holds "
                     "the users' password hashes: keep it safe."),
    "backup_download": ("Tải bản sao lưu (.zip)", "Download a backup (.zip)"),
}

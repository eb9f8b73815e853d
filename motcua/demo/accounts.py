"""The demo accounts, as `make run` prints them and the README lists them."""

from .structure import ADMIN_PASSWORD, DEMO_PASSWORD

DEMO_ACCOUNTS = [
    ("admin", ADMIN_PASSWORD, "Quản trị hệ thống (Django admin /admin/)"),
    ("tiepnhan.tinh", DEMO_PASSWORD, "Cán bộ tiếp nhận – TTPVHCC tỉnh"),
    ("tiepnhan.anhoa", DEMO_PASSWORD, "Cán bộ tiếp nhận – TTPVHCC xã An Hòa"),
    ("chuyenvien.anhoa", DEMO_PASSWORD, "Chuyên viên xử lý – UBND xã An Hòa (hộ tịch)"),
    ("lanhdao.anhoa", DEMO_PASSWORD, "Lãnh đạo cơ quan – Chủ tịch UBND xã An Hòa"),
    ("congan.anhoa", DEMO_PASSWORD, "Chuyên viên xử lý – Công an xã An Hòa (cư trú)"),
    ("chuyenvien.dkkd", DEMO_PASSWORD, "Chuyên viên – Phòng Đăng ký kinh doanh"),
    ("truongphong.dkkd", DEMO_PASSWORD, "Lãnh đạo phòng – Phòng Đăng ký kinh doanh"),
    ("lanhdao.tuphap", DEMO_PASSWORD, "Lãnh đạo cơ quan – Sở Tư pháp"),
    ("giamdoc.trungtam", DEMO_PASSWORD, "Giám đốc TTPVHCC tỉnh"),
    ("giamdoc.anhoa", DEMO_PASSWORD, "Giám đốc TTPVHCC xã An Hòa"),
    ("giamsat.tinh", DEMO_PASSWORD, "Giám sát cấp tỉnh – Văn phòng UBND tỉnh"),
]


def accounts_table() -> str:
    width = max(len(u) for u, _, _ in DEMO_ACCOUNTS)
    lines = [f"  {'tài khoản'.ljust(width)}  mật khẩu     vai trò"]
    lines += [f"  {u.ljust(width)}  {p.ljust(11)}  {r}" for u, p, r in DEMO_ACCOUNTS]
    return "\n".join(lines)

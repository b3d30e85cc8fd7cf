"""Vietnamese names for demo people: common family names, middle names and given names."""

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Thuỳ", "Phương", "Hồng", "Khánh", "Bảo"]
MIDDLE_M = ["Văn", "Quốc", "Minh", "Đức", "Hữu", "Gia", "Thành", "Anh", "Quang", "Xuân"]
GIVEN_F = [
    "Hường",
    "Ánh",
    "Dương",
    "Nhung",
    "Lan",
    "Hà",
    "Trang",
    "Linh",
    "Thảo",
    "Ngân",
    "Huyền",
    "Yến",
    "Mai",
    "Vy",
    "Châu",
]
GIVEN_M = [
    "Việt",
    "Huy",
    "Dũng",
    "Khoa",
    "Nam",
    "Long",
    "Phúc",
    "Tùng",
    "Hiếu",
    "Sơn",
    "Đạt",
    "Khải",
    "Tuấn",
    "Bảo",
    "Kiên",
]


def full_name(rng) -> str:
    if rng.random() < 0.55:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

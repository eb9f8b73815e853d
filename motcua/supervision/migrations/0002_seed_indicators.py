"""
Seed the Decision 766 indicators with the maximums and targets of
legal-spec §9.1 (national portal, 2026: six groups, 100 points).

Copied here on purpose (migrations never import motcua code). Running it
again restores the seeded values; reversing deletes exactly these codes
(indicators are standalone rows: nothing points at them).
"""

from decimal import Decimal

from django.db import migrations

# (order, number, code, group, name, max, target, basis)
INDICATORS = [
    (10, "1.1", "PUBLISH_ON_TIME", "transparency", "TTHC được công bố đúng hạn", "6", None,
     "Phiên bản TTHC công bố trong kỳ có quyết định công bố trước ngày hiệu lực ít nhất 5 ngày làm việc ÷ phiên bản công bố trong kỳ."),
    (20, "1.2", "PUBLIC_UPDATE_ON_TIME", "transparency", "TTHC được cập nhật, công khai đúng hạn", "4", None,
     "TTHC công khai trên CSDL quốc gia về TTHC chậm nhất 5 ngày làm việc sau quyết định ÷ tổng số."),
    (30, "1.3", "PUBLIC_CONTENT_FULL", "transparency", "TTHC công khai đầy đủ nội dung", "2", None,
     "TTHC đang áp dụng có đủ 7 bộ phận (trình tự, cách thức, thành phần hồ sơ, thời hạn, đối tượng, cơ quan thực hiện, kết quả) ÷ TTHC đang áp dụng."),
    (40, "1.4", "DOSSIER_SYNC", "transparency", "Hồ sơ đồng bộ lên Cổng DVC quốc gia", "6", None,
     "Hồ sơ tiếp nhận trong kỳ đã đồng bộ đủ lên Cổng DVC quốc gia ÷ hồ sơ tiếp nhận trong kỳ."),
    (50, "2.1", "PROGRESS_ON_TIME", "progress", "Hồ sơ xử lý trước hạn, đúng hạn", "20", None,
     "(Đã xử lý trước hạn, đúng hạn + chưa xử lý xong còn trong hạn cuối kỳ) ÷ (đã xử lý + chưa xử lý xong cuối kỳ)."),
    (60, "2.2", "AVG_PROCESSING_DAYS", "progress", "Thời gian xử lý trung bình (ngày làm việc)", "0", None,
     "Chỉ theo dõi: thời gian làm việc từ tiếp nhận đến có kết quả, trừ thời gian tạm dừng."),
    (70, "3.1", "ONLINE_PROCEDURES", "online", "TTHC cung cấp dịch vụ công trực tuyến", "0", "0.8",
     "Chỉ theo dõi: TTHC trực tuyến toàn trình hoặc một phần ÷ TTHC đang áp dụng."),
    (80, "3.3", "ONLINE_DOSSIERS", "online", "Hồ sơ trực tuyến toàn trình", "12", "0.5",
     "Hồ sơ nộp trực tuyến của TTHC toàn trình ÷ hồ sơ của TTHC toàn trình tiếp nhận trong kỳ."),
    (90, "3.5", "PAYMENT_PROCEDURES_OFFERED", "payment", "TTHC có nghĩa vụ tài chính được thanh toán trực tuyến", "2", "0.8",
     "TTHC có phí, lệ phí và thực hiện trực tuyến ÷ TTHC có phí, lệ phí."),
    (100, "3.5b", "PAYMENT_PROCEDURES_USED", "payment", "TTHC có phát sinh giao dịch thanh toán trực tuyến", "2", None,
     "TTHC có phí, lệ phí có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ ÷ TTHC có phí, lệ phí."),
    (110, "3.6", "PAYMENT_DOSSIERS", "payment", "Hồ sơ thanh toán trực tuyến", "6", None,
     "Hồ sơ đã thanh toán trực tuyến ÷ hồ sơ có nghĩa vụ tài chính tiếp nhận trong kỳ."),
    (120, "4.1", "ORIGINAL_RESULT_AVAILABLE", "digitization", "Hồ sơ có kết quả điện tử", "6", None,
     "Hồ sơ giải quyết trong kỳ có kết quả điện tử đã ký số ÷ hồ sơ giải quyết trong kỳ."),
    (130, "4.2", "SO_HOA_GIAY_TO_GIAI_QUYET", "digitization", "Hồ sơ được số hóa thành phần", "4", "0.8",
     "Hồ sơ tiếp nhận trong kỳ có mọi thành phần (trừ giấy tờ chỉ xuất trình) đã số hóa ÷ hồ sơ tiếp nhận trong kỳ."),
    (140, "4.2b", "ELECTRONIC_CERTIFIED_COPY", "digitization", "Cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính", "2", None,
     "Có cấp bản sao điện tử chứng thực từ bản chính trong kỳ (1) hay không (0)."),
    (150, "4.3", "REUSED_DIGITIZED_DATA", "digitization", "Hồ sơ khai thác, sử dụng lại dữ liệu số hóa", "2", "0.8",
     "Hồ sơ có thành phần tái sử dụng ÷ hồ sơ của TTHC có thành phần được phép tái sử dụng."),
    (160, "4.4", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "digitization", "Kết quả điện tử được đưa vào Kho dữ liệu", "4", None,
     "Hồ sơ có kết quả điện tử đã lưu vào Kho dữ liệu của tổ chức, cá nhân ÷ hồ sơ có kết quả điện tử."),
    (170, "4.5a", "CITIZEN_DATA_CONNECTED_FORMALITY", "digitization", "TTHC kết nối, khai thác dữ liệu dân cư", "2", None,
     "TTHC có hồ sơ trong kỳ sử dụng dữ liệu dân cư ÷ TTHC có hồ sơ trong kỳ."),
    (180, "4.5b", "CITIZEN_DATA_CONNECTED_DOSSIER", "digitization", "Hồ sơ sử dụng thông tin từ CSDL quốc gia về dân cư", "2", None,
     "Hồ sơ của công dân đã xác thực định danh hoặc có thành phần khai thác từ CSDL quốc gia ÷ hồ sơ của công dân tiếp nhận trong kỳ."),
    (190, "5.1", "PETITION_CLASSIFICATION", "satisfaction", "Phân loại phản ánh, kiến nghị", "0", None,
     "Chỉ theo dõi: phản ánh, kiến nghị về quy định TTHC và về cán bộ."),
    (200, "5.2", "PETITION_PROCESSING_ON_TIME", "satisfaction", "Phản ánh, kiến nghị xử lý đúng hạn", "6", None,
     "Phản ánh, kiến nghị xử lý xong trong kỳ đúng mọi thời hạn (từ chối 2, đề nghị bổ sung 5, xử lý 15, công khai 2 ngày làm việc) ÷ (xử lý xong trong kỳ + quá hạn chưa xử lý cuối kỳ)."),
    (210, "5.3", "PETITION_HANDLING_SATISFACTION", "satisfaction", "Hài lòng trong xử lý phản ánh, kiến nghị", "6", None,
     "Người gửi hài lòng với việc giải quyết ÷ người gửi đã đánh giá trong kỳ."),
    (220, "5.4", "DOSSIER_RECEIVING_SATISFACTION", "satisfaction", "Hài lòng trong tiếp nhận, giải quyết TTHC", "6", "0.9",
     "100% − tỷ lệ hồ sơ quá hạn − tỷ lệ phiếu đánh giá không hài lòng."),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("supervision", "Indicator")
    for order, number, code, group, name, maximum, target, basis in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "number": number,
                "group": group,
                "name": name,
                "max_score": Decimal(maximum),
                "target": Decimal(target) if target else None,
                "basis": basis,
                "is_active": True,
            },
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("supervision", "Indicator")
    Indicator.objects.filter(code__in=[row[2] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_indicators")]

    operations = [migrations.RunPython(seed, unseed)]

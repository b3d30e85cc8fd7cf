"""Built cases for screening: essays on one book, copies of them, and an honest neighbour.

ESSAY is an entrant's essay on "Dế Mèn phiêu lưu ký"; HONEST is another student's essay on the
same book, written independently: it shares the title, the author, the famous first line and
common phrases, and nothing else.
"""

QUOTE = "Bởi tôi ăn uống điều độ và làm việc có chừng mực nên tôi chóng lớn lắm."

SENTENCES = [
    "Mùa hè năm lớp sáu, bà ngoại tặng em cuốn Dế Mèn phiêu lưu ký của nhà văn Tô Hoài.",
    "Em còn nhớ mãi câu mở đầu quen thuộc: “" + QUOTE + "”",
    "Câu văn ấy giản dị mà khiến em bật cười vì giọng kể tự tin của chú dế trẻ.",
    "Dế Mèn hiện lên với đôi càng mẫm bóng, những cái vuốt nhọn hoắt và bộ râu dài uốn cong.",
    "Thế nhưng sức vóc cường tráng lại đi cùng tính kiêu căng và xốc nổi của tuổi mới lớn.",
    "Em đã lặng người khi đọc đến đoạn Dế Mèn trêu chị Cốc rồi chui tọt vào hang sâu.",
    "Trò đùa dại dột ấy đã khiến Dế Choắt yếu ớt phải chịu những cú mổ oan nghiệt.",
    "Lời trăng trối của Dế Choắt là bài học đầu tiên về hậu quả của thói hung hăng vô lối.",
    "Em tự hỏi đã bao lần mình cũng nói những lời vô tâm làm tổn thương bạn bè quanh mình.",
    "Từ trang sách ấy, em bắt đầu tập dừng lại một nhịp trước khi nói hay làm điều gì.",
    "Hành trình phiêu lưu của Dế Mèn đưa em qua những vùng đất rộng lớn và kỳ thú.",
    "Mỗi chặng đường là một lần chú dế gặp gỡ bạn mới và học thêm điều hay lẽ phải.",
    "Em đặc biệt quý tình bạn giữa Dế Mèn và Dế Trũi, hai kẻ kết nghĩa anh em giữa đồng nội.",
    "Họ cùng nhau vượt qua sóng gió trên chiếc bè lá sen trôi dạt giữa dòng nước mênh mông.",
    "Có lúc hai anh em rơi vào cảnh tù đày, nhưng chưa bao giờ buông bỏ lòng tin vào nhau.",
    "Cuộc chiến với bọn châu chấu voi cho em thấy lòng dũng cảm cần đi cùng trí khôn.",
    "Khi Dế Mèn đứng ra hòa giải các loài vật đang xung đột, em thấy chú đã thật sự trưởng thành.",
    "Ước mơ về một thế giới muôn loài chung sống hòa bình khiến em suy nghĩ rất lâu.",
    "Thì ra cuốn truyện viết cho thiếu nhi lại chứa đựng khát vọng lớn lao về hòa bình.",
    "Ngôn ngữ của Tô Hoài giàu hình ảnh, từng câu văn như vẽ ra cả một cánh đồng sống động.",
    "Em đã chép nhiều đoạn tả cảnh vào cuốn sổ tay nhỏ để đọc lại mỗi khi ngồi viết văn.",
    "Đọc xong cuốn sách, em rủ các bạn trong lớp lập một góc đọc truyện ở cuối phòng học.",
    "Giờ đây mỗi tuần chúng em lại kể cho nhau nghe một câu chuyện hay vừa đọc được.",
    "Với em, Dế Mèn không chỉ là một chú dế mà là người bạn dạy em cách lớn lên tử tế.",
]

# Sentences 10-23 said again in other words: what a student who paraphrases writes.
PARAPHRASES = [
    "Chuyến đi của chú dế dẫn người đọc tới bao miền đất bao la và lạ lùng.",
    "Qua từng chặng, chú lại kết thân với những người bạn mới và hiểu thêm lẽ sống.",
    "Điều làm em xúc động nhất là tình nghĩa anh em của Mèn với Trũi nơi ruộng đồng.",
    "Hai người bạn trôi trên tấm lá sen, chống chọi với gió to và dòng nước cuồn cuộn.",
    "Dù từng bị bắt giam, họ vẫn luôn tin tưởng và không bao giờ bỏ rơi nhau.",
    "Trận đánh lũ châu chấu voi dạy em rằng gan dạ thôi chưa đủ, còn phải biết suy tính.",
    "Lúc Mèn đứng giữa can ngăn muôn loài đang đánh nhau, em nhận ra chú đã lớn khôn.",
    "Giấc mơ về thế gian nơi mọi loài sống yên vui bên nhau làm em trăn trở mãi.",
    "Hóa ra một quyển truyện thiếu nhi cũng mang trong mình mong ước hòa bình to lớn.",
    "Văn Tô Hoài đầy màu sắc, mỗi dòng chữ như một bức tranh đồng quê đang chuyển động.",
    "Những đoạn miêu tả đẹp nhất em đều ghi lại trong quyển vở riêng để học cách viết.",
    "Gấp sách lại, em cùng bạn bè dựng một tủ truyện nhỏ ở góc lớp.",
    "Hằng tuần cả nhóm thay phiên nhau kể lại những câu chuyện hay mình mới đọc.",
    "Đối với em, Dế Mèn là người thầy nhỏ dạy em sống tử tế khi trưởng thành.",
]

NEW_INTRODUCTION = [
    "Có những cuốn sách ta đọc một lần rồi quên, nhưng có cuốn theo ta suốt những năm đi học.",
    "Với em, đó là câu chuyện về chú dế nhỏ mà cô giáo chủ nhiệm đã đọc cho cả lớp nghe.",
    "Giọng đọc trầm ấm của cô làm em mê mẩn từ trang đầu tiên cho đến khi tiếng trống vang lên.",
]

HONEST_SENTENCES = [
    "Trong tủ sách của thư viện trường, em tìm thấy cuốn Dế Mèn phiêu lưu ký đã cũ sờn gáy.",
    "Nhà văn Tô Hoài viết tác phẩm này từ năm một nghìn chín trăm bốn mươi mốt.",
    "Ngay dòng đầu tiên, em đã bị cuốn hút: “" + QUOTE + "”",
    "Em thích cách tác giả để nhân vật tự xưng tôi, như đang trò chuyện cùng người đọc.",
    "Bài học em nhớ nhất là về sự ân hận muộn màng sau cái chết của người hàng xóm gầy gò.",
    "Nó nhắc em rằng sức mạnh chỉ có ý nghĩa khi được dùng để che chở kẻ yếu hơn mình.",
    "Ở trường, em từng chứng kiến một bạn nhỏ bị trêu chọc mà không ai lên tiếng bênh vực.",
    "Sau khi đọc sách, em đã đủ can đảm để đứng ra nói lời xin lỗi và an ủi bạn ấy.",
    "Những chuyến đi xa của nhân vật chính làm em thèm được khám phá quê hương mình.",
    "Em mơ một ngày được đạp xe dọc những cánh đồng lúa chín vàng ở quê nội.",
    "Cảnh chia tay người anh em kết nghĩa khiến em rơm rớm nước mắt giữa giờ ra chơi.",
    "Em hiểu rằng bạn bè thật sự là những người ở bên ta cả khi gặp hoạn nạn.",
    "Tác phẩm còn dạy em biết yêu thiên nhiên, từ ngọn cỏ may đến giọt sương sớm.",
    "Mỗi sáng đi học, em để ý hơn tới tiếng chim hót và những bông hoa dại ven đường.",
    "Em đã giới thiệu cuốn sách cho em trai và hai chị em thường đọc to cho nhau nghe.",
    "Bố mẹ em cũng kể rằng thời nhỏ họ từng say mê chính câu chuyện này.",
    "Thật kỳ diệu khi một cuốn sách có thể nối các thế hệ trong gia đình lại gần nhau.",
    "Em nghĩ thông điệp về lòng khiêm tốn vẫn còn nguyên giá trị với tuổi trẻ hôm nay.",
    "Thế giới mạng đầy những lời khoe khoang khiến em càng thấm thía bài học ấy.",
    "Em mong các bạn cùng trang lứa hãy dành thời gian đọc sách thay vì lướt điện thoại.",
    "Đọc chậm và suy ngẫm giúp em hiểu bản thân và người khác nhiều hơn.",
    "Cuốn sách nhỏ ấy đã thắp lên trong em tình yêu với văn chương Việt Nam.",
]


def essay(sentences: list[str]) -> str:
    return " ".join(sentences)


ORIGINAL = essay(SENTENCES)
EXACT_COPY = ORIGINAL
CHANGED_INTRODUCTION = essay(NEW_INTRODUCTION + SENTENCES[3:])
HALF_PARAPHRASED = essay(SENTENCES[:12] + PARAPHRASES[2:])  # sentences 12-23 in other words
HONEST = essay(HONEST_SENTENCES)

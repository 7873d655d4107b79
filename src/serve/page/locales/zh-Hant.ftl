# 搜尋頁面的繁體中文介面（與 en.ftl 的訊息和屬性一一對應；用語依臺灣習慣）。

## 搜尋列

page-title = archivist
skip-to-results = 跳到搜尋結果
search-input =
    .placeholder = 搜尋檔案庫（按 / 回到這裡）
    .aria-label = 搜尋檔案庫
any-word = 任一詞
    .title = 每個詞都可有可無，依相符的詞數排序
fuzzy = 模糊
    .title = 相差幾個字母的詞也算相符（OCR 與輸入錯誤）
fold-near = 合併近似副本
    .title = 文字幾乎相同的文件（掃描檔與其繕打文字、草稿、轉寄的副本）顯示為一筆結果
xref-open = 比對名單
    .title = 名單中哪些名字在檔案庫中出現
page-language = 頁面語言
filters = 篩選條件
filter-remove =
    .title = 移除這個篩選條件

## 搜尋結果

facets = 縮小結果範圍
results-heading = 搜尋結果
timeline = 依年份統計的相符文件；選擇一年可依月份檢視
timeline-documents = { $when }：{ $count } 份文件
type-to-search = 輸入關鍵字搜尋檔案庫。
no-results = 沒有結果。
results-count = { $total } 筆結果
results-shown = （第 { $first }–{ $last } 筆）
elapsed = { $ms } 毫秒
pages = 結果分頁
previous = ← 上一頁
next = 下一頁 →

## 單筆結果

badge-romanized = 羅馬字
    .title = 透過羅馬字讀音相符
badge-variant = 經由「{ $name }」
    .title = 透過名字的異寫相符
badge-fuzzy = 模糊
    .title = 可能相符的是相差幾個字母的詞
badge-ocr = OCR { $confidence }
    .title = 由 OCR 辨識的文字；Tesseract 的信心度
badge-language =
    .title = 語言
badge-date =
    .title = 日期
badge-copies = 另有 { $count } 份相同副本
badge-near = { $count } 份近似副本
badge-near-more = 另有 { $count } 份
badge-message = 第 { $position }/{ $messages } 封郵件
badge-attached = 第 { $position }/{ $messages } 封郵件的附件
badge-thread =
    .title = 郵件討論串 { $id }：顯示其所有郵件
badge-tag =
    .title = 您的標籤
list-separator = 、
entity-names = 人名
entity-email = 電子郵件
entity-phone = 電話
entity-iban = IBAN
entity-values = { $kind }：{ $values }
entity-more = （另有 { $count } 個）
snippet-page = 第 { $page } 頁

## 分面

facet-tag = 標籤
facet-name = 人名
facet-lang = 語言
facet-year = 年份
facet-folder = 資料夾
facet-email = 電子郵件
facet-domain = 網域
facet-phone = 電話
facet-iban = IBAN
facet-near = 近似副本
near-groups = { $groups } 組，共 { $documents } 份文件
near-show-each = 逐一顯示
near-fold = 合併顯示

## 文件檢視

close = ← 結果
    .title = 返回搜尋結果（Esc）
prev-match = 上一處
    .title = 上一處相符（p）
next-match = 下一處
    .title = 下一處相符（n）
original = 原始檔案
match-position = 第 { $current } 處，共 { $total } 處
no-matches-shown = 沒有可顯示的相符處
page-break = 第 { $page } 頁
loading = …
new-tag =
    .placeholder = 新增標籤（Enter）
    .aria-label = 新增標籤
tag-remove =
    .title = 移除這個標籤
note-summary = 備註
note =
    .aria-label = 您對這份文件的備註
save-note = 儲存備註
note-saved = 已儲存
thread-summary = 討論串（{ $count } 封郵件）
thread-only = 只顯示這個討論串
thread-matching = 其中 { $matching } 封與搜尋相符。
thread-cut = 共 { $total } 封，只顯示 { $shown } 封。
thread-matches = 相符
near-summary = 近似副本（{ $count }）
near-similarity = { $percent } 相同
similar-summary = 相似文件
similar-found = 依其詞語 { $terms } 尋找；每份文件下列出共有的詞語。
similar-none = 沒有與這份文件相似的文件。

## 比對名單

xref-heading = 比對名單
# name、aliases、note 與 ; 依輸入時的原樣（以程式碼字型）顯示。
xref-help = 每行一個名字；或貼上 CSV，其標題列的欄名為 { $name }、{ $aliases }（以 { $separator } 分隔）與 { $note }。
xref-list =
    .aria-label = 名字清單
    .placeholder =
        關東軍
        山田乙三
xref-fuzzy = 模糊
    .title = 相差幾個字母的名字也算相符，並顯示距離
xref-run = 比對
xref-export = 匯出 CSV
xref-name = 名字
xref-documents = 文件數
xref-best = 最佳相符
xref-empty = 請先貼上名單。
xref-searching = 搜尋中…
xref-found = { $total } 個名字中有 { $found } 個出現 · { $elapsed }
xref-also = 又名 { $aliases }
xref-not-mentioned = 未出現
xref-how-exact = 完全相同
xref-how-variant = 異寫
xref-how-romanized = 羅馬字
xref-how-stem = 詞幹
xref-how-fuzzy = 模糊
xref-distance = 距離 { $distance }
xref-exporting = 匯出中…
xref-exported = 已匯出 xref.csv

## 快速鍵

keys = 快速鍵
key-search = 搜尋
key-move = 移動
key-open = 開啟
key-matches = 下一處、上一處相符
key-back = 返回

## 伺服器回傳的錯誤（API 的 code）

error-request = 伺服器拒絕了請求：{ $detail }
error-not-found = 這裡什麼也沒有。
error-no-document = 這份文件已不在索引中。
error-query-empty = 查詢是空的。
error-query-quote = 第 { $column } 欄的引號沒有結束。
error-query-paren = 第 { $column } 欄的括號沒有結束。
error-query-unexpected-paren = 第 { $column } 欄的「)」沒有對應的左括號。
error-query-dangling = 第 { $column } 欄的「{ $word }」後面需要一個詞。
error-query-field = 第 { $column } 欄的「{ $field }:」後面需要一個詞或加引號的片語。
error-query-year = 第 { $column } 欄的「year:{ $value }」：請給出年份（1945）或範圍（1945..1956）。
error-query-date = 第 { $column } 欄的「date:{ $value }」：請給出日期（1946、1946-07、1946-07-12）或範圍（1946-07..1946-09）。
error-query-nothing = 查詢中沒有可搜尋的內容（只有標點或否定）。
error-list = 無法讀取名單：{ $detail }
error-too-large = 檔案太大，無法在此傳送；請在檔案庫所在的磁碟上開啟。
error-link = 這個檔案是符號連結，不予傳送。
error-unreadable = 目前無法讀取這個檔案。
error-changed = 檔案在建立索引後已被修改；請再次執行 archivist ingest。
error-token = 這台伺服器需要權杖：請開啟它顯示的網址。
error-forbidden = 只有這台伺服器自己的頁面才能修改標籤與備註。
error-host = 這台伺服器只回應送往其自身網址的請求。
error-too-long = 請求耗時過久。
error-stopping = 伺服器正在停止。
error-no-index = 索引目前不存在（已刪除或正在重建）。
error-busy = 另一個程式正在使用標籤與備註；沒有做任何修改，請再試一次。
error-storage = 無法寫入標籤與備註（磁碟已滿或唯讀）；沒有做任何修改。
error-internal = 伺服器發生錯誤：{ $detail }
error-network = 無法連線到伺服器。

# 検索ページの日本語カタログ（en.ftl と同じメッセージと属性を持つこと）。

## 検索フォーム

page-title = archivist
skip-to-results = 検索結果へ移動
search-input =
    .placeholder = アーカイブを検索（/ キーでここに戻ります）
    .aria-label = アーカイブを検索
any-word = いずれかの語
    .title = どの語も必須ではなく、一致した語の多さで順位付けします
fuzzy = あいまい
    .title = 数文字違う語も一致します（OCR や入力の誤り）
fold-near = ほぼ同じ文書をまとめる
    .title = 本文がほぼ同じ文書（スキャンとその書き起こし、下書き、転送された写し）を 1 件として表示します
xref-open = 名簿と照合
    .title = 名簿のどの名前がアーカイブに出てくるか
page-language = このページの言語
filters = 絞り込み条件
filter-remove =
    .title = この条件を外す

## 検索結果

facets = 結果を絞り込む
results-heading = 検索結果
timeline = 年ごとの該当文書数（年を選ぶと月ごとに表示）
timeline-documents = { $when }：{ $count } 件
type-to-search = 検索語を入力してください。
no-results = 該当する文書はありません。
results-count = { $total } 件
results-shown = （{ $first }–{ $last } 件目）
elapsed = { $ms } ミリ秒
pages = 検索結果のページ
previous = ← 前へ
next = 次へ →

## 検索結果の 1 件

badge-romanized = ローマ字
    .title = ローマ字読みで一致しました
badge-variant = 異表記「{ $name }」
    .title = 異表記の名前で一致しました
badge-fuzzy = あいまい
    .title = 数文字違う語で一致した可能性があります
badge-ocr = OCR { $confidence }
    .title = OCR で読み取った本文（Tesseract の信頼度）
badge-language =
    .title = 言語
badge-date =
    .title = 日付
badge-copies = 同一の写し +{ $count } 件
badge-near = ほぼ同じ文書 { $count } 件
badge-near-more = ほか { $count } 件
badge-message = メッセージ { $position }/{ $messages }
badge-attached = メッセージ { $position }/{ $messages } の添付
badge-thread =
    .title = メールのスレッド { $id }：すべてのメッセージを表示
badge-tag =
    .title = あなたのタグ
list-separator = 、
entity-names = 名前
entity-email = メール
entity-phone = 電話
entity-iban = IBAN
entity-values = { $kind }：{ $values }
entity-more = （ほか { $count } 件）
snippet-page = { $page } ページ

## 絞り込み

facet-tag = タグ
facet-name = 名前
facet-lang = 言語
facet-year = 年
facet-folder = フォルダ
facet-email = メール
facet-domain = ドメイン
facet-phone = 電話
facet-iban = IBAN
facet-near = ほぼ同じ文書
near-groups = { $groups } グループ（計 { $documents } 件）
near-show-each = 個別に表示
near-fold = まとめる

## 文書の表示

close = ← 検索結果
    .title = 検索結果に戻る（Esc）
prev-match = 前の一致
    .title = 前の一致箇所（p）
next-match = 次の一致
    .title = 次の一致箇所（n）
original = 元のファイル
match-position = { $total } 箇所中 { $current } 箇所目
no-matches-shown = 表示できる一致箇所はありません
page-break = { $page } ページ
loading = …
new-tag =
    .placeholder = タグを追加（Enter）
    .aria-label = タグを追加
tag-remove =
    .title = このタグを外す
note-summary = メモ
note =
    .aria-label = この文書へのメモ
save-note = メモを保存
note-saved = 保存しました
thread-summary = 会話（{ $count } 通）
thread-only = このスレッドだけを表示
thread-matching = このうち { $matching } 通が検索に一致します。
thread-cut = { $total } 通のうち { $shown } 通だけを表示しています。
thread-matches = 一致
near-summary = ほぼ同じ文書（{ $count } 件）
near-similarity = { $percent } 同一
similar-summary = 似ている文書
similar-found = 次の語で検索しました：{ $terms }。各文書の下に共通する語を示します。
similar-none = この文書に似ている文書はありません。

## 名簿との照合

xref-heading = 名簿と照合
# name、aliases、note と ; は入力するとおりに（コード書体で）示されます。
xref-help = 1 行に 1 つの名前を書くか、列名 { $name }、{ $aliases }（{ $separator } 区切り）、{ $note } を見出し行に持つ CSV を貼り付けてください。
xref-list =
    .aria-label = 名前の一覧
    .placeholder =
        関東軍
        山田乙三
xref-fuzzy = あいまい
    .title = 数文字違う名前も一致します（距離を表示）
xref-run = 照合する
xref-export = CSV を書き出す
xref-name = 名前
xref-documents = 文書数
xref-best = 主な一致
xref-empty = まず名前の一覧を貼り付けてください。
xref-searching = 検索中…
xref-found = { $total } 件中 { $found } 件の名前が出てきます · { $elapsed }
xref-also = 別名：{ $aliases }
xref-not-mentioned = 出てきません
xref-how-exact = 完全一致
xref-how-variant = 異表記
xref-how-romanized = ローマ字
xref-how-stem = 語幹
xref-how-fuzzy = あいまい
xref-distance = 距離 { $distance }
xref-exporting = 書き出し中…
xref-exported = xref.csv を書き出しました

## キー操作

keys = キー操作
key-search = 検索
key-move = 移動
key-open = 開く
key-matches = 次・前の一致箇所
key-back = 戻る

## サーバーが返すエラー（API の code）

error-request = サーバーがリクエストを拒否しました：{ $detail }
error-not-found = ここには何もありません。
error-no-document = この文書はもう索引にありません。
error-query-empty = 検索語が空です。
error-query-quote = { $column } 文字目の引用符が閉じていません。
error-query-paren = { $column } 文字目の括弧が閉じていません。
error-query-unexpected-paren = { $column } 文字目の「)」に対応する括弧がありません。
error-query-dangling = { $column } 文字目の「{ $word }」の後に語が必要です。
error-query-field = { $column } 文字目の「{ $field }:」の後に語か引用符で囲んだ語句が必要です。
error-query-year = { $column } 文字目の「year:{ $value }」：年（1945）か範囲（1945..1956）を指定してください。
error-query-date = { $column } 文字目の「date:{ $value }」：日付（1946、1946-07、1946-07-12）か範囲（1946-07..1946-09）を指定してください。
error-query-nothing = 検索できる語がありません（記号だけか、否定だけです）。
error-list = 一覧を読み取れません：{ $detail }
error-too-large = ファイルが大きすぎるため送信できません。アーカイブのディスク上で開いてください。
error-link = このファイルはシンボリックリンクのため送信しません。
error-unreadable = ファイルを今は読み取れません。
error-changed = 索引の作成後にファイルが変更されました。archivist ingest をもう一度実行してください。
error-token = このサーバーにはトークンが必要です。サーバーが表示したアドレスを開いてください。
error-forbidden = タグとメモを変更できるのはこのサーバー自身のページだけです。
error-host = このサーバーは自分のアドレス宛てのリクエストにしか応答しません。
error-too-long = リクエストに時間がかかりすぎました。
error-stopping = サーバーは停止中です。
error-no-index = 索引が現在ありません（削除されたか、再作成中です）。
error-busy = 別のプログラムがタグとメモを使用中です。何も変更されていません。もう一度お試しください。
error-storage = タグとメモを書き込めません（ディスクが満杯か読み取り専用）。何も変更されていません。
error-internal = サーバーでエラーが起きました：{ $detail }
error-network = サーバーに接続できません。

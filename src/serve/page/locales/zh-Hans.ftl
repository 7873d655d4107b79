# 搜索页面的简体中文界面（与 en.ftl 的消息和属性一一对应）。

## 搜索栏

page-title = archivist
skip-to-results = 跳到搜索结果
search-input =
    .placeholder = 搜索档案（按 / 回到这里）
    .aria-label = 搜索档案
any-word = 任一词
    .title = 每个词都可有可无，按匹配的词数排序
fuzzy = 模糊
    .title = 相差几个字母的词也算匹配（OCR 和输入错误）
fold-near = 合并近似副本
    .title = 文本几乎相同的文件（扫描件与其录入文本、草稿、转发的副本）显示为一条结果
xref-open = 核对名单
    .title = 名单中哪些名字在档案中出现
page-language = 页面语言
filters = 筛选条件
filter-remove =
    .title = 去掉这个筛选条件

## 搜索结果

facets = 缩小结果范围
results-heading = 搜索结果
timeline = 按年份统计的匹配文件；选择一年可按月查看
timeline-documents = { $when }：{ $count } 个文件
type-to-search = 输入关键词搜索档案。
no-results = 没有结果。
results-count = { $total } 条结果
results-shown = （第 { $first }–{ $last } 条）
elapsed = { $ms } 毫秒
pages = 结果分页
previous = ← 上一页
next = 下一页 →

## 单条结果

badge-romanized = 罗马字
    .title = 通过罗马字读音匹配
badge-variant = 经由“{ $name }”
    .title = 通过名字的异写匹配
badge-fuzzy = 模糊
    .title = 可能匹配了相差几个字母的词
badge-ocr = OCR { $confidence }
    .title = 由 OCR 识别的文本；Tesseract 的置信度
badge-language =
    .title = 语言
badge-date =
    .title = 日期
badge-copies = 另有 { $count } 份相同副本
badge-near = { $count } 份近似副本
badge-near-more = 另有 { $count } 份
badge-message = 第 { $position }/{ $messages } 封邮件
badge-attached = 第 { $position }/{ $messages } 封邮件的附件
badge-thread =
    .title = 邮件会话 { $id }：显示其全部邮件
badge-tag =
    .title = 您的标签
list-separator = 、
entity-names = 人名
entity-email = 电子邮件
entity-phone = 电话
entity-iban = IBAN
entity-values = { $kind }：{ $values }
entity-more = （另有 { $count } 个）
snippet-page = 第 { $page } 页

## 分面

facet-tag = 标签
facet-name = 人名
facet-lang = 语言
facet-year = 年份
facet-folder = 文件夹
facet-email = 电子邮件
facet-domain = 域名
facet-phone = 电话
facet-iban = IBAN
facet-near = 近似副本
near-groups = { $groups } 组，共 { $documents } 个文件
near-show-each = 逐个显示
near-fold = 合并显示

## 文件视图

close = ← 结果
    .title = 返回搜索结果（Esc）
prev-match = 上一处
    .title = 上一处匹配（p）
next-match = 下一处
    .title = 下一处匹配（n）
original = 原始文件
match-position = 第 { $current } 处，共 { $total } 处
no-matches-shown = 没有可显示的匹配
page-break = 第 { $page } 页
loading = …
new-tag =
    .placeholder = 添加标签（Enter）
    .aria-label = 添加标签
tag-remove =
    .title = 去掉这个标签
note-summary = 备注
note =
    .aria-label = 您对此文件的备注
save-note = 保存备注
note-saved = 已保存
thread-summary = 会话（{ $count } 封邮件）
thread-only = 只显示此会话
thread-matching = 其中 { $matching } 封与搜索匹配。
thread-cut = 共 { $total } 封，只显示 { $shown } 封。
thread-matches = 匹配
near-summary = 近似副本（{ $count }）
near-similarity = { $percent } 相同
similar-summary = 相似文件
similar-found = 按其词语 { $terms } 查找；每个文件下列出共有的词语。
similar-none = 没有与此文件相似的文件。

## 核对名单

xref-heading = 核对名单
# name、aliases、note 和 ; 按需输入的原样（以代码字体）显示。
xref-help = 每行一个名字；或粘贴 CSV，其标题行列名为 { $name }、{ $aliases }（以 { $separator } 分隔）和 { $note }。
xref-list =
    .aria-label = 名字列表
    .placeholder =
        关东军
        山田乙三
xref-fuzzy = 模糊
    .title = 相差几个字母的名字也算匹配，并显示距离
xref-run = 核对
xref-export = 导出 CSV
xref-name = 名字
xref-documents = 文件数
xref-best = 最佳匹配
xref-empty = 请先粘贴名单。
xref-searching = 正在搜索…
xref-found = { $total } 个名字中有 { $found } 个出现 · { $elapsed }
xref-also = 又名 { $aliases }
xref-not-mentioned = 未出现
xref-how-exact = 完全一致
xref-how-variant = 异写
xref-how-romanized = 罗马字
xref-how-stem = 词干
xref-how-fuzzy = 模糊
xref-distance = 距离 { $distance }
xref-exporting = 正在导出…
xref-exported = 已导出 xref.csv

## 快捷键

keys = 快捷键
key-search = 搜索
key-move = 移动
key-open = 打开
key-matches = 下一处、上一处匹配
key-back = 返回

## 服务器返回的错误（API 的 code）

error-request = 服务器拒绝了请求：{ $detail }
error-not-found = 这里什么也没有。
error-no-document = 该文件已不在索引中。
error-query-empty = 查询为空。
error-query-quote = 第 { $column } 列的引号没有闭合。
error-query-paren = 第 { $column } 列的括号没有闭合。
error-query-unexpected-paren = 第 { $column } 列的“)”没有对应的左括号。
error-query-dangling = 第 { $column } 列的“{ $word }”后面需要一个词。
error-query-field = 第 { $column } 列的“{ $field }:”后面需要一个词或带引号的短语。
error-query-year = 第 { $column } 列的“year:{ $value }”：请给出年份（1945）或范围（1945..1956）。
error-query-date = 第 { $column } 列的“date:{ $value }”：请给出日期（1946、1946-07、1946-07-12）或范围（1946-07..1946-09）。
error-query-nothing = 查询中没有可搜索的内容（只有标点或否定）。
error-list = 无法读取名单：{ $detail }
error-too-large = 文件太大，无法在此发送；请在档案所在的磁盘上打开。
error-link = 该文件是符号链接，不予发送。
error-unreadable = 目前无法读取该文件。
error-changed = 文件在建立索引后已被修改；请再次运行 archivist ingest。
error-token = 此服务器需要令牌：请打开它显示的地址。
error-forbidden = 只有本服务器自己的页面才能修改标签和备注。
error-host = 此服务器只响应发往其自身地址的请求。
error-too-long = 请求耗时过长。
error-stopping = 服务器正在停止。
error-no-index = 索引目前不存在（已删除或正在重建）。
error-busy = 另一个程序正在使用标签和备注；没有做任何修改，请重试。
error-storage = 无法写入标签和备注（磁盘已满或只读）；没有做任何修改。
error-internal = 服务器出错：{ $detail }
error-network = 无法连接服务器。

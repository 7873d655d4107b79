# Интерфейс страницы поиска по-русски (те же сообщения и атрибуты, что в en.ftl).

## Форма поиска

page-title = archivist
skip-to-results = К результатам
search-input =
    .placeholder = Поиск по архиву (клавиша / возвращает сюда)
    .aria-label = Поиск по архиву
any-word = любое слово
    .title = ни одно слово не обязательно; порядок — по числу совпавших слов
fuzzy = нечётко
    .title = совпадают и слова с ошибкой в несколько букв (OCR и опечатки)
fold-near = объединять почти копии
    .title = документы с почти одинаковым текстом (скан и его расшифровка, черновики, пересланные копии) показываются одним результатом
xref-open = Сверить список
    .title = Какие имена из списка упоминаются в архиве
page-language = Язык страницы
filters = Фильтры
filter-remove =
    .title = Убрать этот фильтр

## Результаты

facets = Уточнить результаты
results-heading = Результаты
timeline = Найденные документы по годам; у года — по месяцам
timeline-documents = { $when }: { $count ->
        [one] { $count } документ
        [few] { $count } документа
        [many] { $count } документов
       *[other] { $count } документа
    }
type-to-search = Введите запрос для поиска по архиву.
no-results = Ничего не найдено.
results-count = { $total ->
        [one] { $total } результат
        [few] { $total } результата
        [many] { $total } результатов
       *[other] { $total } результата
    }
results-shown = ({ $first }–{ $last })
elapsed = { $ms } мс
pages = Страницы результатов
previous = ← Назад
next = Далее →

## Результат

badge-romanized = латиница
    .title = найдено по латинской транслитерации
badge-variant = через «{ $name }»
    .title = найдено по варианту имени
badge-fuzzy = нечётко
    .title = могли совпасть слова с ошибкой в несколько букв
badge-ocr = OCR { $confidence }
    .title = текст распознан OCR; уверенность Tesseract
badge-language =
    .title = язык
badge-date =
    .title = дата
badge-copies = { $count ->
        [one] +{ $count } копия
        [few] +{ $count } копии
        [many] +{ $count } копий
       *[other] +{ $count } копии
    }
badge-near = почти такие же: { $count }
badge-near-more = и ещё { $count }
badge-message = сообщение { $position } из { $messages }
badge-attached = вложение к сообщению { $position } из { $messages }
badge-thread =
    .title = переписка { $id }: показать все её сообщения
badge-tag =
    .title = ваш тег
list-separator = {", "}
entity-names = имена
entity-email = эл. почта
entity-phone = телефон
entity-iban = IBAN
entity-values = { $kind }: { $values }
entity-more = (+{ $count })
snippet-page = с. { $page }

## Фасеты

facet-tag = Тег
facet-name = Имя
facet-lang = Язык
facet-year = Год
facet-folder = Папка
facet-email = Эл. почта
facet-domain = Домен
facet-phone = Телефон
facet-iban = IBAN
facet-near = Почти такие же
near-groups = { $groups ->
        [one] { $groups } группа из { $documents } док.
        [few] { $groups } группы из { $documents } док.
        [many] { $groups } групп из { $documents } док.
       *[other] { $groups } группы из { $documents } док.
    }
near-show-each = показать каждый
near-fold = объединить

## Документ

close = ← Результаты
    .title = Назад к результатам (Esc)
prev-match = Предыдущее
    .title = Предыдущее совпадение (p)
next-match = Следующее
    .title = Следующее совпадение (n)
original = Исходный файл
match-position = { $current } из { $total }
no-matches-shown = совпадений не показано
page-break = страница { $page }
loading = …
new-tag =
    .placeholder = добавить тег (Enter)
    .aria-label = Добавить тег
tag-remove =
    .title = Снять этот тег
note-summary = Заметка
note =
    .aria-label = Ваша заметка к документу
save-note = Сохранить заметку
note-saved = сохранено
thread-summary = { $count ->
        [one] Переписка ({ $count } сообщение)
        [few] Переписка ({ $count } сообщения)
        [many] Переписка ({ $count } сообщений)
       *[other] Переписка ({ $count } сообщения)
    }
thread-only = Показать только эту переписку
thread-matching = Из них запросу соответствуют: { $matching }.
thread-cut = Показано { $shown } из { $total }.
thread-matches = совпадает
near-summary = Почти такие же ({ $count })
near-similarity = совпадает на { $percent }
similar-summary = Похожие документы
similar-found = Найдено по терминам { $terms }; под каждым документом — общие с ним.
similar-none = Похожих документов нет.

## Сверка списка

xref-heading = Сверить список имён
# name, aliases, note и ; пишутся так, как их нужно набирать (моноширинным шрифтом).
xref-help = По одному имени в строке; или CSV со строкой заголовков, где названы столбцы { $name }, { $aliases } (через { $separator }) и { $note }.
xref-list =
    .aria-label = Список имён
    .placeholder =
        Квантунская армия
        Ямада Отодзо
xref-fuzzy = нечётко
    .title = совпадают и имена с ошибкой в несколько букв, с указанием расстояния
xref-run = Сверить
xref-export = Экспорт в CSV
xref-name = Имя
xref-documents = Документы
xref-best = Лучшие совпадения
xref-empty = Сначала вставьте список имён.
xref-searching = Поиск…
xref-found = Упоминается имён: { $found } из { $total } · { $elapsed }
xref-also = также { $aliases }
xref-not-mentioned = не упоминается
xref-how-exact = точно
xref-how-variant = вариант
xref-how-romanized = транслитерация
xref-how-stem = по основе
xref-how-fuzzy = нечётко
xref-distance = на расстоянии { $distance }
xref-exporting = Экспорт…
xref-exported = Сохранено в xref.csv

## Клавиши

keys = Клавиши
key-search = поиск
key-move = перемещение
key-open = открыть
key-matches = следующее и предыдущее совпадение
key-back = назад

## Ошибки сервера (поле code в API)

error-request = Сервер отклонил запрос: { $detail }
error-not-found = Здесь ничего нет.
error-no-document = Этого документа больше нет в индексе.
error-query-empty = Запрос пуст.
error-query-quote = Кавычка в позиции { $column } не закрыта.
error-query-paren = Скобка в позиции { $column } не закрыта.
error-query-unexpected-paren = «)» в позиции { $column } ничего не закрывает.
error-query-dangling = После «{ $word }» в позиции { $column } нужно слово.
error-query-field = После «{ $field }:» в позиции { $column } нужно слово или фраза в кавычках.
error-query-year = «year:{ $value }» в позиции { $column }: укажите год (1945) или диапазон (1945..1956).
error-query-date = «date:{ $value }» в позиции { $column }: укажите дату (1946, 1946-07, 1946-07-12) или диапазон (1946-07..1946-09).
error-query-nothing = В запросе нечего искать (только знаки препинания или отрицания).
error-list = Не удаётся прочитать список: { $detail }
error-too-large = Файл слишком велик для передачи; откройте его на диске архива.
error-link = Файл — символическая ссылка, он не передаётся.
error-unreadable = Файл сейчас не читается.
error-changed = Файл изменился после индексации; снова запустите archivist ingest.
error-token = Этому серверу нужен токен: откройте адрес, который он вывел.
error-forbidden = Менять теги и заметки может только страница самого сервера.
error-host = Сервер отвечает только на запросы к его собственному адресу.
error-too-long = Запрос выполнялся слишком долго.
error-stopping = Сервер останавливается.
error-no-index = Индекса сейчас нет (удалён или перестраивается).
error-busy = Теги и заметки заняты другой программой; ничего не изменено. Попробуйте ещё раз.
error-storage = Теги и заметки не удаётся записать (диск полон или только для чтения); ничего не изменено.
error-internal = Ошибка на сервере: { $detail }
error-network = Сервер недоступен.

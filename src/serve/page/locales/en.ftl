# The search page's interface in English: the catalogue every other language follows (a test
# checks that each has every message and attribute here, and the plural forms its language needs).
# Messages without variables are put in the page by the server; the others by the page's script.
# Numbers given as variables are written in the reader's locale by the script.

## The search form

page-title = archivist
skip-to-results = Skip to the results
search-input =
    .placeholder = Search the archive (press / to come back here)
    .aria-label = Search the archive
any-word = any word
    .title = every word optional, ranked by how many match
fuzzy = fuzzy
    .title = words a few letters off match too (OCR and typing errors)
fold-near = fold near copies
    .title = documents whose text is nearly the same (a scan and its typed text, drafts, forwarded copies) shown as one hit
xref-open = Cross-reference a list
    .title = Which names of a list the archive mentions
page-language = Language of this page
filters = Filters
filter-remove =
    .title = Remove this filter

## Results

facets = Narrow the results
results-heading = Results
timeline = Matching documents by year; a year shows its months
timeline-documents = { $when }: { $count ->
        [one] { $count } document
       *[other] { $count } documents
    }
type-to-search = Type to search the archive.
no-results = No results.
results-count = { $total ->
        [one] { $total } result
       *[other] { $total } results
    }
results-shown = ({ $first }–{ $last })
elapsed = { $ms } ms
pages = Pages of results
previous = ← Previous
next = Next →

## A hit

badge-romanized = romanized
    .title = matched through the romanized reading
badge-variant = via { $name }
    .title = matched a variant name
badge-fuzzy = fuzzy
    .title = words a few letters off may have matched
badge-ocr = OCR { $confidence }
    .title = text read by OCR; Tesseract's confidence
badge-language =
    .title = language
badge-date =
    .title = date
badge-copies = { $count ->
        [one] +{ $count } copy
       *[other] +{ $count } copies
    }
badge-near = { $count } nearly the same
badge-near-more = +{ $count } more
badge-message = message { $position } of { $messages }
badge-attached = attached to message { $position } of { $messages }
badge-thread =
    .title = e-mail thread { $id }: show all of its messages
badge-tag =
    .title = your tag
# Between the values of a list (names, terms); quoted, so that its space stays.
list-separator = {", "}
entity-names = names
entity-email = e-mail
entity-phone = phone
entity-iban = IBAN
entity-values = { $kind }: { $values }
entity-more = (+{ $count })
snippet-page = p. { $page }

## Facets

facet-tag = Tag
facet-name = Name
facet-lang = Language
facet-year = Year
facet-folder = Folder
facet-email = E-mail
facet-domain = Domain
facet-phone = Phone
facet-iban = IBAN
facet-near = Nearly the same
near-groups = { $groups ->
        [one] { $groups } group of { $documents } documents
       *[other] { $groups } groups of { $documents } documents
    }
near-show-each = show each
near-fold = fold them

## The document view

close = ← Results
    .title = Back to the results (Esc)
prev-match = Previous match
    .title = Previous match (p)
next-match = Next match
    .title = Next match (n)
original = Original file
match-position = { $current } of { $total }
no-matches-shown = no matches shown
page-break = page { $page }
loading = …
new-tag =
    .placeholder = add a tag (Enter)
    .aria-label = Add a tag
tag-remove =
    .title = Take this tag off
note-summary = Note
note =
    .aria-label = Your note on this document
save-note = Save note
note-saved = saved
thread-summary = { $count ->
        [one] Conversation ({ $count } message)
       *[other] Conversation ({ $count } messages)
    }
thread-only = Show only this thread
thread-matching = { $matching } of them match the search.
thread-cut = Only { $shown } of { $total } are shown.
thread-matches = matches
near-summary = Nearly the same ({ $count })
near-similarity = { $percent } the same
similar-summary = Similar documents
similar-found = Found by its terms { $terms }; under each document, the ones it shares.
similar-none = No other document is like this one.

## Cross-referencing a list

xref-heading = Cross-reference a list of names
# name, aliases, note and ; are written as they must be typed (in code type).
xref-help = One name a line; or CSV with a header row naming its columns { $name }, { $aliases } (separated by { $separator }) and { $note }.
xref-list =
    .aria-label = The list of names
    .placeholder =
        Kwantung Army
        Otozō Yamada
xref-fuzzy = fuzzy
    .title = names a few letters off match too, with their distance
xref-run = Cross-reference
xref-export = Export CSV
xref-name = Name
xref-documents = Documents
xref-best = Best matches
xref-empty = Paste a list of names first.
xref-searching = Searching…
xref-found = { $found } of { $total } names mentioned · { $elapsed }
xref-also = also { $aliases }
xref-not-mentioned = not mentioned
xref-how-exact = exact
xref-how-variant = variant
xref-how-romanized = romanized
xref-how-stem = stem
xref-how-fuzzy = fuzzy
xref-distance = at { $distance }
xref-exporting = Exporting…
xref-exported = Exported xref.csv

## Keys

keys = Keys
key-search = search
key-move = move
key-open = open
key-matches = next and previous match
key-back = back

## Errors the server answers with (the API's `code`)

error-request = The server refused the request: { $detail }
error-not-found = Nothing here.
error-no-document = This document is no longer in the index.
error-query-empty = The query is empty.
error-query-quote = The quote at column { $column } is not closed.
error-query-paren = The parenthesis at column { $column } is not closed.
error-query-unexpected-paren = A “)” at column { $column } closes nothing.
error-query-dangling = “{ $word }” at column { $column } needs a word after it.
error-query-field = “{ $field }:” at column { $column } needs a word or a quoted phrase after it.
error-query-year = “year:{ $value }” at column { $column }: give a year (1945) or a range (1945..1956).
error-query-date = “date:{ $value }” at column { $column }: give a date (1946, 1946-07, 1946-07-12) or a range (1946-07..1946-09).
error-query-nothing = Nothing in the query can be searched (only punctuation, or negations of nothing).
error-list = The list cannot be read: { $detail }
error-too-large = The file is too large to be sent here; open it on the archive's disk.
error-link = The file is a symbolic link and is not sent.
error-unreadable = The file cannot be read now.
error-changed = The file changed since it was indexed; run archivist ingest again.
error-token = This server needs its token: open the address it printed.
error-forbidden = Only this server's own page may change tags and notes.
error-host = This server answers only requests addressed to its own address.
error-too-long = The request took too long.
error-stopping = The server is stopping.
error-no-index = The index is not there now (deleted, or being rebuilt).
error-busy = Another program holds the tags and notes; nothing was changed. Try again.
error-storage = The tags and notes cannot be written (disk full or read-only); nothing was changed.
error-internal = Something went wrong on the server: { $detail }
error-network = The server cannot be reached.

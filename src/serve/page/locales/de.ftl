# Die Suchseite auf Deutsch (dieselben Meldungen und Attribute wie en.ftl).

## Suchformular

page-title = archivist
skip-to-results = Zu den Ergebnissen
search-input =
    .placeholder = Im Archiv suchen (mit / kommen Sie hierher zurück)
    .aria-label = Im Archiv suchen
any-word = ein beliebiges Wort
    .title = kein Wort ist Pflicht; gereiht nach der Zahl der Treffer
fuzzy = unscharf
    .title = auch Wörter, die um einige Buchstaben abweichen (OCR- und Tippfehler)
fold-near = Beinahe-Kopien zusammenfassen
    .title = Dokumente mit fast gleichem Text (ein Scan und seine Abschrift, Entwürfe, weitergeleitete Kopien) als ein Treffer
xref-open = Liste abgleichen
    .title = Welche Namen einer Liste im Archiv vorkommen
page-language = Sprache dieser Seite
filters = Filter
filter-remove =
    .title = Diesen Filter entfernen

## Ergebnisse

facets = Ergebnisse eingrenzen
results-heading = Ergebnisse
timeline = Gefundene Dokumente nach Jahr; ein Jahr zeigt seine Monate
timeline-documents = { $when }: { $count ->
        [one] { $count } Dokument
       *[other] { $count } Dokumente
    }
type-to-search = Geben Sie einen Suchbegriff ein.
no-results = Keine Ergebnisse.
results-count = { $total ->
        [one] { $total } Ergebnis
       *[other] { $total } Ergebnisse
    }
results-shown = ({ $first }–{ $last })
elapsed = { $ms } ms
pages = Ergebnisseiten
previous = ← Zurück
next = Weiter →

## Ein Treffer

badge-romanized = umschrieben
    .title = über die lateinische Umschrift gefunden
badge-variant = über { $name }
    .title = über eine Namensvariante gefunden
badge-fuzzy = unscharf
    .title = Wörter mit einigen abweichenden Buchstaben können getroffen haben
badge-ocr = OCR { $confidence }
    .title = per OCR gelesener Text; Konfidenz von Tesseract
badge-language =
    .title = Sprache
badge-date =
    .title = Datum
badge-copies = { $count ->
        [one] +{ $count } Kopie
       *[other] +{ $count } Kopien
    }
badge-near = { $count } fast gleich
badge-near-more = +{ $count } weitere
badge-message = Nachricht { $position } von { $messages }
badge-attached = Anhang zu Nachricht { $position } von { $messages }
badge-thread =
    .title = E-Mail-Verlauf { $id }: alle seine Nachrichten zeigen
badge-tag =
    .title = Ihr Schlagwort
list-separator = {", "}
entity-names = Namen
entity-email = E-Mail
entity-phone = Telefon
entity-iban = IBAN
entity-values = { $kind }: { $values }
entity-more = (+{ $count })
snippet-page = S. { $page }

## Facetten

facet-tag = Schlagwort
facet-name = Name
facet-lang = Sprache
facet-year = Jahr
facet-folder = Ordner
facet-email = E-Mail
facet-domain = Domain
facet-phone = Telefon
facet-iban = IBAN
facet-near = Fast gleich
near-groups = { $groups ->
        [one] { $groups } Gruppe aus { $documents } Dokumenten
       *[other] { $groups } Gruppen aus { $documents } Dokumenten
    }
near-show-each = einzeln zeigen
near-fold = zusammenfassen

## Das Dokument

close = ← Ergebnisse
    .title = Zurück zu den Ergebnissen (Esc)
prev-match = Vorheriger
    .title = Vorheriger Treffer (p)
next-match = Nächster
    .title = Nächster Treffer (n)
original = Originaldatei
match-position = { $current } von { $total }
no-matches-shown = keine Treffer angezeigt
page-break = Seite { $page }
loading = …
new-tag =
    .placeholder = Schlagwort hinzufügen (Enter)
    .aria-label = Schlagwort hinzufügen
tag-remove =
    .title = Dieses Schlagwort entfernen
note-summary = Notiz
note =
    .aria-label = Ihre Notiz zu diesem Dokument
save-note = Notiz speichern
note-saved = gespeichert
thread-summary = { $count ->
        [one] Verlauf ({ $count } Nachricht)
       *[other] Verlauf ({ $count } Nachrichten)
    }
thread-only = Nur diesen Verlauf zeigen
thread-matching = { $matching } davon passen zur Suche.
thread-cut = Nur { $shown } von { $total } werden gezeigt.
thread-matches = passt
near-summary = Fast gleich ({ $count })
near-similarity = zu { $percent } gleich
similar-summary = Ähnliche Dokumente
similar-found = Gefunden über seine Begriffe { $terms }; unter jedem Dokument die gemeinsamen.
similar-none = Kein anderes Dokument ähnelt diesem.

## Eine Liste abgleichen

xref-heading = Eine Namensliste abgleichen
# name, aliases, note und ; stehen so da, wie sie einzugeben sind (in Codeschrift).
xref-help = Ein Name pro Zeile; oder CSV mit einer Kopfzeile, die ihre Spalten { $name }, { $aliases } (getrennt durch { $separator }) und { $note } nennt.
xref-list =
    .aria-label = Die Namensliste
    .placeholder =
        Kwantung-Armee
        Otozō Yamada
xref-fuzzy = unscharf
    .title = auch Namen, die um einige Buchstaben abweichen, mit ihrem Abstand
xref-run = Abgleichen
xref-export = Als CSV exportieren
xref-name = Name
xref-documents = Dokumente
xref-best = Beste Treffer
xref-empty = Fügen Sie zuerst eine Namensliste ein.
xref-searching = Suche läuft…
xref-found = { $found } von { $total } Namen kommen vor · { $elapsed }
xref-also = auch { $aliases }
xref-not-mentioned = kommt nicht vor
xref-how-exact = genau
xref-how-variant = Variante
xref-how-romanized = umschrieben
xref-how-stem = Wortstamm
xref-how-fuzzy = unscharf
xref-distance = im Abstand { $distance }
xref-exporting = Export läuft…
xref-exported = xref.csv exportiert

## Tasten

keys = Tasten
key-search = suchen
key-move = wechseln
key-open = öffnen
key-matches = nächster und vorheriger Treffer
key-back = zurück

## Fehler, die der Server meldet (der code der API)

error-request = Der Server hat die Anfrage abgelehnt: { $detail }
error-not-found = Hier ist nichts.
error-no-document = Dieses Dokument ist nicht mehr im Index.
error-query-empty = Die Suchanfrage ist leer.
error-query-quote = Das Anführungszeichen an Stelle { $column } wird nicht geschlossen.
error-query-paren = Die Klammer an Stelle { $column } wird nicht geschlossen.
error-query-unexpected-paren = Die „)“ an Stelle { $column } schließt nichts.
error-query-dangling = Nach „{ $word }“ an Stelle { $column } fehlt ein Wort.
error-query-field = Nach „{ $field }:“ an Stelle { $column } fehlt ein Wort oder eine Phrase in Anführungszeichen.
error-query-year = „year:{ $value }“ an Stelle { $column }: Geben Sie ein Jahr (1945) oder einen Bereich (1945..1956) an.
error-query-date = „date:{ $value }“ an Stelle { $column }: Geben Sie ein Datum (1946, 1946-07, 1946-07-12) oder einen Bereich (1946-07..1946-09) an.
error-query-nothing = In der Anfrage ist nichts Suchbares (nur Satzzeichen oder Verneinungen).
error-list = Die Liste kann nicht gelesen werden: { $detail }
error-too-large = Die Datei ist zu groß, um sie hier zu senden; öffnen Sie sie auf dem Datenträger des Archivs.
error-link = Die Datei ist ein symbolischer Link und wird nicht gesendet.
error-unreadable = Die Datei kann gerade nicht gelesen werden.
error-changed = Die Datei wurde seit der Indexierung geändert; führen Sie archivist ingest erneut aus.
error-token = Dieser Server braucht sein Token: Öffnen Sie die Adresse, die er ausgegeben hat.
error-forbidden = Nur die eigene Seite dieses Servers darf Schlagwörter und Notizen ändern.
error-host = Dieser Server beantwortet nur Anfragen an seine eigene Adresse.
error-too-long = Die Anfrage hat zu lange gedauert.
error-stopping = Der Server wird beendet.
error-no-index = Der Index ist gerade nicht da (gelöscht oder im Neuaufbau).
error-busy = Ein anderes Programm hält die Schlagwörter und Notizen; nichts wurde geändert. Bitte erneut versuchen.
error-storage = Schlagwörter und Notizen können nicht geschrieben werden (Datenträger voll oder schreibgeschützt); nichts wurde geändert.
error-internal = Auf dem Server ist ein Fehler aufgetreten: { $detail }
error-network = Der Server ist nicht erreichbar.

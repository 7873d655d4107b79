# La page de recherche en français (les mêmes messages et attributs que en.ftl).

## Le formulaire de recherche

page-title = archivist
skip-to-results = Aller aux résultats
search-input =
    .placeholder = Rechercher dans le fonds (/ ramène ici)
    .aria-label = Rechercher dans le fonds
any-word = n’importe quel mot
    .title = aucun mot n’est obligatoire ; classés selon le nombre de mots trouvés
fuzzy = approché
    .title = les mots à quelques lettres près correspondent aussi (erreurs d’OCR et de frappe)
fold-near = regrouper les quasi-copies
    .title = les documents au texte presque identique (un scan et sa transcription, des brouillons, des copies transférées) forment un seul résultat
xref-open = Croiser une liste
    .title = Quels noms d’une liste le fonds mentionne
page-language = Langue de cette page
filters = Filtres
filter-remove =
    .title = Retirer ce filtre

## Résultats

facets = Affiner les résultats
results-heading = Résultats
timeline = Documents trouvés par année ; une année montre ses mois
timeline-documents = { $when } : { $count ->
        [one] { $count } document
        [many] { $count } documents
       *[other] { $count } documents
    }
type-to-search = Saisissez une recherche.
no-results = Aucun résultat.
results-count = { $total ->
        [one] { $total } résultat
        [many] { $total } résultats
       *[other] { $total } résultats
    }
results-shown = ({ $first }–{ $last })
elapsed = { $ms } ms
pages = Pages de résultats
previous = ← Précédent
next = Suivant →

## Un résultat

badge-romanized = romanisé
    .title = trouvé par la lecture romanisée
badge-variant = par { $name }
    .title = trouvé par une variante du nom
badge-fuzzy = approché
    .title = des mots à quelques lettres près ont pu correspondre
badge-ocr = OCR { $confidence }
    .title = texte lu par OCR ; confiance de Tesseract
badge-language =
    .title = langue
badge-date =
    .title = date
badge-copies = { $count ->
        [one] +{ $count } copie
        [many] +{ $count } copies
       *[other] +{ $count } copies
    }
badge-near = { $count } presque identiques
badge-near-more = +{ $count } autres
badge-message = message { $position } sur { $messages }
badge-attached = pièce jointe du message { $position } sur { $messages }
badge-thread =
    .title = fil de courriels { $id } : en montrer tous les messages
badge-tag =
    .title = votre étiquette
list-separator = {", "}
entity-names = noms
entity-email = courriel
entity-phone = téléphone
entity-iban = IBAN
entity-values = { $kind } : { $values }
entity-more = (+{ $count })
snippet-page = p. { $page }

## Facettes

facet-tag = Étiquette
facet-name = Nom
facet-lang = Langue
facet-year = Année
facet-folder = Dossier
facet-email = Courriel
facet-domain = Domaine
facet-phone = Téléphone
facet-iban = IBAN
facet-near = Presque identiques
near-groups = { $groups ->
        [one] { $groups } groupe de { $documents } documents
        [many] { $groups } groupes de { $documents } documents
       *[other] { $groups } groupes de { $documents } documents
    }
near-show-each = les montrer tous
near-fold = les regrouper

## Le document

close = ← Résultats
    .title = Retour aux résultats (Échap)
prev-match = Précédente
    .title = Occurrence précédente (p)
next-match = Suivante
    .title = Occurrence suivante (n)
original = Fichier original
match-position = { $current } sur { $total }
no-matches-shown = aucune occurrence affichée
page-break = page { $page }
loading = …
new-tag =
    .placeholder = ajouter une étiquette (Entrée)
    .aria-label = Ajouter une étiquette
tag-remove =
    .title = Retirer cette étiquette
note-summary = Note
note =
    .aria-label = Votre note sur ce document
save-note = Enregistrer la note
note-saved = enregistrée
thread-summary = { $count ->
        [one] Conversation ({ $count } message)
        [many] Conversation ({ $count } messages)
       *[other] Conversation ({ $count } messages)
    }
thread-only = Montrer seulement ce fil
thread-matching = { $matching } d’entre eux correspondent à la recherche.
thread-cut = Seuls { $shown } sur { $total } sont affichés.
thread-matches = correspond
near-summary = Presque identiques ({ $count })
near-similarity = identique à { $percent }
similar-summary = Documents semblables
similar-found = Trouvés par ses termes { $terms } ; sous chaque document, ceux qu’il partage.
similar-none = Aucun autre document ne ressemble à celui-ci.

## Croiser une liste

xref-heading = Croiser une liste de noms
# name, aliases, note et ; s’écrivent tels qu’ils doivent être saisis (en police de code).
xref-help = Un nom par ligne ; ou un CSV dont la ligne d’en-tête nomme ses colonnes { $name }, { $aliases } (séparés par { $separator }) et { $note }.
xref-list =
    .aria-label = La liste des noms
    .placeholder =
        Armée du Guandong
        Otozō Yamada
xref-fuzzy = approché
    .title = les noms à quelques lettres près correspondent aussi, avec leur distance
xref-run = Croiser
xref-export = Exporter en CSV
xref-name = Nom
xref-documents = Documents
xref-best = Meilleures correspondances
xref-empty = Collez d’abord une liste de noms.
xref-searching = Recherche…
xref-found = { $found } noms mentionnés sur { $total } · { $elapsed }
xref-also = aussi { $aliases }
xref-not-mentioned = non mentionné
xref-how-exact = exact
xref-how-variant = variante
xref-how-romanized = romanisé
xref-how-stem = radical
xref-how-fuzzy = approché
xref-distance = à { $distance }
xref-exporting = Export…
xref-exported = xref.csv exporté

## Touches

keys = Touches
key-search = rechercher
key-move = se déplacer
key-open = ouvrir
key-matches = occurrence suivante et précédente
key-back = retour

## Erreurs renvoyées par le serveur (le code de l’API)

error-request = Le serveur a refusé la requête : { $detail }
error-not-found = Il n’y a rien ici.
error-no-document = Ce document n’est plus dans l’index.
error-query-empty = La recherche est vide.
error-query-quote = Le guillemet de la colonne { $column } n’est pas fermé.
error-query-paren = La parenthèse de la colonne { $column } n’est pas fermée.
error-query-unexpected-paren = La « ) » de la colonne { $column } ne ferme rien.
error-query-dangling = « { $word } » à la colonne { $column } doit être suivi d’un mot.
error-query-field = « { $field }: » à la colonne { $column } doit être suivi d’un mot ou d’une expression entre guillemets.
error-query-year = « year:{ $value } » à la colonne { $column } : donnez une année (1945) ou un intervalle (1945..1956).
error-query-date = « date:{ $value } » à la colonne { $column } : donnez une date (1946, 1946-07, 1946-07-12) ou un intervalle (1946-07..1946-09).
error-query-nothing = Rien dans la recherche ne peut être cherché (seulement de la ponctuation ou des négations).
error-list = La liste ne peut pas être lue : { $detail }
error-too-large = Le fichier est trop gros pour être envoyé ici ; ouvrez-le sur le disque du fonds.
error-link = Le fichier est un lien symbolique et n’est pas envoyé.
error-unreadable = Le fichier ne peut pas être lu pour l’instant.
error-changed = Le fichier a changé depuis son indexation ; relancez archivist ingest.
error-token = Ce serveur demande son jeton : ouvrez l’adresse qu’il a affichée.
error-forbidden = Seule la page de ce serveur peut modifier les étiquettes et les notes.
error-host = Ce serveur ne répond qu’aux requêtes adressées à sa propre adresse.
error-too-long = La requête a pris trop de temps.
error-stopping = Le serveur s’arrête.
error-no-index = L’index n’est pas là pour l’instant (supprimé ou en reconstruction).
error-busy = Un autre programme tient les étiquettes et les notes ; rien n’a été modifié. Réessayez.
error-storage = Les étiquettes et les notes ne peuvent pas être écrites (disque plein ou en lecture seule) ; rien n’a été modifié.
error-internal = Une erreur s’est produite sur le serveur : { $detail }
error-network = Le serveur est injoignable.

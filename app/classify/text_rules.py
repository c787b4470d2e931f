"""Built-in diagnostic-text rules: one row per family of messages real MTAs emit.

Two tables, because text and status codes disagree in two different ways:

- CAUSES name *why* the mail failed (mailbox full, user unknown, listed on Spamhaus, virus).
  A cause in the text beats any status code, even an exact seed-004 row: servers attach
  generic or wrong statuses to specific texts (`552 ... over quota (#5.1.1)`, `550 5.7.1
  blocked using zen.spamhaus.org`, `550 5.2.1 User Unknown`).
- SYMPTOMS say only *how* it failed (timed out, try later, access denied). An exact status
  row is better evidence than those, so they are tried after it and before the weaker
  layers (provider label, generic status rows, status subject, reply code). Expiry and a bare
  "try later" are symptoms too, the least specific ones: they wrap whatever kept failing
  ("connect to ...: timed out ... in the queue too long"), and what they wrap, or the status,
  names it better. A delay warning is a deferral and yields the same way: informational only
  when it names nothing else.

Within CAUSES, order is priority, and blame comes first: a text that puts the fault on the
sending side (our IP, domain, authentication, content, volume, relaying, size, TLS) is a 1xxx
code (4006 for relaying) whatever else it says, since "domain of sender address does not
exist" or "mailbox unavailable: your IP is listed" are about us, not the recipient. Then the
recipient families, specific before generic: mailbox full before closed before disabled before
user unknown, then the domain. Rows whose words overlap across senses are ordered so the
intended sense wins: "mailbox size limit" is a full mailbox, not a large message; "receiving
mail too quickly" is the recipient's receive rate (3003), not ours (1006); "too many messages
in the mailbox" is a full mailbox; "sender address rejected: greylisted" is greylisting.

Every pattern is a family, never one message; families are written in the languages servers
answer in (English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Russian,
Chinese, Japanese). Rows of one family may be split by language; they share one name and one
place in the order.
"""

from __future__ import annotations

from app.classify.rules import Rule, rule

_PART = r"(?:user|recipient|receiver|address|mailbox|account|addressee|alias)"
# The same names and two that only read after "no such", "unknown", "non-existent": one list,
# so a name added to _PART ("receiver") is not added to a copy by hand.
_ANY_PART = _PART[:-1] + r"|local[- ]?part|person)"
# Polish "(nie znaleziono) adresu" of a sender, a return path, an IP or a server, not the recipient.
_PL_NOT_THE_RECIPIENTS = r"(?! (?:nadawc|zwrotn|ip\b|serwer|dns\b|ldap))"
# A word after "user", "mailbox", "account" that names a store, table or setting, not the
# recipient's name: "User database not found" is a local fault, "User jdoe not found" is dead.
_NOT_A_NAME = (
    r"(?!(?:domain|server|host|system|name|database|db|directory|table|map|backend"
    r"|store|storage|configuration|config|settings?|profile|cache|index|data|file"
    r"|folder|certificate|credentials?|quota|service)'?s?\b)"
)

# The tables read better aligned than one argument per line.
# fmt: off
CAUSES: tuple[Rule, ...] = (
    rule("auto-reply", 5001,
         r"out of (?:the )?office|auto[- ]?(?:matic )?reply|autoreply|autoresponder"
         r"|on (?:vacation|holiday)|i (?:am|'m|will be) (?:currently )?(?:away|out of)"
         r"|away from (?:the|my) (?:office|desk)|\babwesenheit|\babwesend\b"
         r"|r[ée]ponse automatique|absente? du bureau|respuesta autom[áa]tica"
         r"|fuera de la oficina|risposta automatica|fuori (?:sede|ufficio)|nicht im b[üu]ro"
         r"|wieder im b[üu]ro|\bbin (?:\S+ ){0,4}wieder erreichbar"
         r"|je suis absente?\b|estoy fuera\b|sono fuori\b|estou fora\b"
         r"|resposta autom[áa]tica|automatisch antwoord|\bafwezig\b|auto-?response"
         r"|i have received your (?:e-?mail|mail|message)|i will be (?:traveling|travelling"
         r"|back|out|away)|(?:intermittent|limited) access to (?:my )?e-?mail"),
    rule("auto-reply", 5001,
         r"autoodpowied[źz]|automatyczna odpowied|автоматический ответ|자동 ?응답"
         r"|automatische antwort|im urlaub|en cong[ée]\b|en vacances|de vacaciones|de f[ée]rias"
         r"|in ferie\b|met vakantie|na urlopie|休假|休暇中|휴가|出張中"
         r"|je suis (?:actuellement |momentan[ée]ment )?absente?\b|estoy de viaje\b"
         r"|ich bin (?:\S+ ){0,4}(?:nicht erreichbar|au[ßs]er haus)"
         r"|fora do escrit[óo]rio|niet op kantoor|n'aurai pas acc[èe]s [àa] mes"
         r"|不在にして|不在です|on (?:annual |maternity |paternity |parental |sick )?leave\b"
         r"|автоответ|自动回复|自動回覆|自動回復|自動返信|自動応答"
         r"|已收到您的|(?:sar[òo]|sono) assente|assente dall'ufficio|(?:estar[ée]|estoy|estou"
         r"|estarei) ausente|jestem nieobecn|b[ęe]d[ęe] nieobecn|(?:нахожусь|буду) в отпуске"
         r"|вне офиса"),
    # Out-of-office replies in the languages the two rows above lack (ca, gl, eu, da, nb, sv,
    # et, fi, hr, sl, cs, sk, hu, tr, lt, mk, bg, ru, uk, zh, ko, ro), and the "for urgent
    # matters contact ..." line such replies carry in every language.
    rule("auto-reply", 5001,
         r"fora de la feina|\bser[ée] fora\b|fuera del trabajo|estar[ée] fuera\b"
         r"|f[óo]ra do traballo|estarei f[óo]ra\b|lanetik kanpo|kanpoan egongo naiz"
         r"|ikke til ?stede|frav[æa]rsmelding|utilgjengelig fra\b|ikke p[åa] kontoret"
         r"|(?:ej|inte) p[åa] kontoret|[äa]r borta (?:fr[åa]n|till|under)\b"
         r"|kontorist (?:v[äa]ljas|eemal)|olen lomalla|poissa toimistolta"
         r"|\bodsutnost\b|\bodsotnost\b|sam odsutan|sem odsoten|na dovolen(?:ce|k[ey]|[ée])\b"
         r"|szabads[áa]gon (?:vagyok|leszek)|nem vagyok (?:\S+ ){0,2}(?:e-?mail|g[ée]p) k[öo]zel"
         r"|h[áa]zon k[íi]v[üu]l|ofis d[ıi][şs][ıi]nda|bulunmayaca[ğg][ıi]m|izindeyim"  # noqa: RUF001
         r"|esu i[šs]vyk(?:[ęe]s|usi)|(?<!\w)отсутен(?!\w)|няма да бъда на разположение"
         r"|буду отсутствовать|(?<!\w)отсутствую(?!\w)|поза офісом|буду відсутн|відпустці"
         r"|(?:暂时|现在|目前|暫時)(?:无法|無法|未能)回(?:信|覆|复)|不在办公室|不在辦公室"
         r"|부재\s?중|부재 예정|자동 회신|in vacan[țţt][ăa]|[îi]n concediu"
         r"|afwezigheids ?(?:bericht|melding)|\bich bin (?:\S+ ){0,2}weg\b|nicht zu hause"
         r"|(?:para|per) (?:asuntos|assumptes|problemi|questioni) urgent|em caso de urg[êe]ncia"
         r"|pour toute urgence|(?:for|in) urgent (?:matters|cases)|w pilnych sprawach"
         r"|по срочным вопросам|за терміновими питаннями|acil durumlarda|i n[øo]dstilf[æa]lde"
         r"|f[öo]r br[åa]dskande [äa]renden|kiireellisiss[äa] asioissa"
         r"|za hitne (?:stvari|slu[čc]aje)"
         r"|za nujne zadeve|s neodkladn\w* (?:vecami|v[ěe]cmi|zpr[áa]vami)|voor (?:dringende"
         r"|belangrijke|spoedeisende) (?:zaken|punten)|larrialdiko gaientzat|kiireloomuliste asjade"
         r"|급한 (?:건|일|용무)|如果?(?:你|您)有急事|緊急(?:の)?(?:事項|用件)"),
    # A reply whose whole text is one word for "absent" or "on leave": an auto-reply's subject.
    rule("auto-reply", 5001,
         r"^\W*(?:ausente|dovolen(?:ka|[áa])|odsutan|odsoten|urlaub|vacaciones|f[ée]rias|vacances"
         r"|vakantie|urlop|отпуск|відпустка|부재중|休暇中)\W*$"),
    # A read receipt (an RFC 8098 "displayed" notification) says the message arrived and was
    # shown; its standard sentence "no guarantee that the message has been read or understood"
    # is translated by every groupware server (Zimbra, Exchange, Outlook) that sends one.
    rule("read-receipt", 5999,
         r"(?:message|mail|e-?mail)\b[^.;]{0,120}\bhas been displayed|no guarantee that the"
         r" (?:message|mail|e-?mail) (?:has been|was) read|was displayed on the recipient"
         r"|keine garantie daf[üu]r, dass die (?:mail|nachricht|e-mail) gelesen"
         r"|gesendete (?:mail|nachricht|e-mail)\b[^.;]{0,80}\bwurde angezeigt"
         r"|(?:mail|courriel|message)\b[^.;]{0,120}\ba [ée]t[ée] affich[ée]"
         r"|ne (?:signifie|garantit) (?:aucunement |pas )?que ce (?:mail|courriel|message)"
         r"|se ha mostrado el mensaje|no garantiza que el mensaje (?:haya sido|ha sido) le[íi]do"
         r"|messaggio\b[^.;]{0,120}\b[èe] stato visualizzato"
         r"|garant\w* che il messaggio sia stato letto"
         r"|mensagem\b[^.;]{0,120}\bfoi (?:apresentada|exibida)"
         r"|n[ãa]o garante que a mensagem tenha sido lida"
         r"|bericht\b[^.;]{0,120}\b(?:wordt|is) weergegeven|geen garantie dat het bericht"
         r"|wiadomo[śs][ćc]\b[^.;]{0,120}\bzosta[łl]a wy[śs]wietlona"
         r"|nie gwarantuje(?: to)?, [żz]e wiadomo[śs][ćc] zosta[łl]a przeczytana"
         r"|сообщение\b[^.;]{0,120}\bбыло (?:открыто|показано|прочитано)"  # noqa: RUF001
         r"|не означает, что сообщение было прочитано"
         r"|meddelande\b[^.;]{0,120}\bhar visats|betyder inte att meddelandet har blivit l[äa]st"
         r"|meddelelse\b[^.;]{0,120}\ber blevet vist|meldingen\b[^.;]{0,120}\ber blitt vist"
         r"|ingen garanti for,? at (?:meddelelsen|meldingen) er bl(?:evet|itt) l[æe]st"
         r"|\bmegjelen[íi]tett[ée]k\b|nem garancia arra, hogy el is olvast"
         r"|a fost afi[șşs]at\b|nu implic[ăa] faptul c[ăa] mesajul a fost citit"
         r"|prikazano je sporo[čc]ilo|ni zagotovilo, da je bilo sporo[čc]ilo prebrano"
         r"|g[öo]nderilen mesaj g[öo]r[üu]nt[üu]lendi|mesaj[ıi]n okundu[ğg]u"  # noqa: RUF001
         r"|ha estat visualitzat|bistaratu da\b|telah ditampilkan|telah dipaparkan"
         r"|відображено повідомлення|הוצגה ההודעה|تم عرض الرسالة|செய்தி காட்டப்பட்டது"
         r"|メッセージは表示されました|読まれたこと|메시지가 표시되었습니다"
         r"|읽었거나 이해했다는 보장|已在收件(?:人|者)信箱中(?:显示|顯示)"
         r"|不(?:保证|保證)收件(?:人|者)已(?:读|讀)"),
    # cPanel's hedge below ends, for our own envelope sender, in Exim's "Sender verify failed":
    # a stated cause that the hedge's words do not take back.
    rule("sender-rejected", 1999, r"sender (?:address )?verif(?:y|ication) failed"
         r"|verification failed for (?:the )?sender\b"
         # a top-level domain of ours that does not exist, before the recipient's TLD row
         r"|(?:sender|from|envelope|sending|return[- ]path|helo|ehlo|host ?name|client)\b"
         r"[^.;:]{0,40}?\b(?:invalid|unknown"
         r"|non-?existent|unregistered|bad|illegal) (?:top[- ]level[- ]domain|tld)\b"
         # and a local part of ours that is missing or malformed, before the bad-syntax row
         r"|(?:sender|from|envelope|sending|return[- ]path)\b[^.;]{0,40}?\b(?:missing|malformed"
         r"|empty|invalid|bad)(?: or (?:missing|malformed|empty|invalid))? local[- ]?part\b"),
    # A hedge that names several possible causes at once (cPanel's "the account or domain
    # may not exist, they may be blacklisted, or missing the proper dns entries") names none:
    # before every row that would take one of its words for the cause.
    rule("hedged-cause", 9999,
         r"(?:may|might) not exist,? (?:or )?(?:they|it) (?:may|might) be (?:black|block)listed"
         r"|account or domain may not exist|因为某些原因|因為某些原因"
         r"|for an? (?:unknown|unspecified) reason|for unknown reasons"),
    # Greylisting names its cause whatever words surround it ("Sender address rejected:
    # Greylisted", "Recipient address rejected: Greylisting in action").
    rule("greylisting", 3003,
         r"gr[ae]y[- ]?list|postgrey|liste grise|lista gris\b|lista grigia|lista cinza"
         r"|grijze lijst|szar\w* li[sś]|灰名单|灰名單|グレーリスト"),
    rule("challenge-response", 1011,
         r"challenge[- /]response|verify (?:that )?you are (?:a )?human"
         r"|confirm (?:that )?you are (?:a )?(?:human|real person)|\bboxbe\b|spam ?arrest"
         r"|(?:confirm|verify|prove) (?:that )?you are not a robot"
         r"|verify your (?:e-?mail )?address (?:using|with|via|by) (?:the )?link"
         r"|answer(?:ing)? the (?:security |verification )?question"
         r"|(?:confirm|verify) your (?:identity|address|e-?mail) by (?:replying|clicking)"
         r"|reply(?:ing)? to the (?:verification|confirmation) (?:message|e-?mail|request)"
         r"|(?:mailbox|e-?mail|inbox) is protected by|challenge (?:sent|e-?mail|message)"
         r"|added to my (?:approved|allowed|accepted) senders? list|sender[- ]verification"
         r" (?:service|system)|confirm (?:that )?you (?:sent|are the sender of) (?:it|this|the)"
         r"|awaiting (?:your )?(?:verification"
         r"|confirmation)|(?:verify|confirm) your (?:e-?mail|message|address|identity)"
         r" (?:to|before|so)"),
    # A scanner or list that could not be consulted names no verdict about us: a local fault.
    # So is a filter, scanner or milter that is down or did not answer: the words of the
    # verdict it would have given ("spam filter unavailable", "virus_scan FAILED") are not one.
    rule("scanner-failure", 4999,
         r"unable to scan|virus[_ ]scan(?:ner|ning)? (?:failed|unavailable|error|temporarily)"
         r"|scanner (?:failed|unavailable|error|not responding|timed out)|temporary lookup failure"
         r"|error: open resolver|spamhaus\.org/returnc|excessive number of queries"
         r"|(?:spam|content|virus|anti-?virus|anti-?spam|malware|mail) ?(?:filter|scanner|scanning"
         r"|engine)s? (?:is |are |was )?(?:temporarily |currently )?(?:unavailable|not (?:available"
         r"|responding|running|reachable)|down\b|offline|timed out)"
         r"|(?:could not|couldn't|unable to|failed to) (?:check|scan) (?:the |this |your )?"
         r"(?:message|mail|e-?mail) for (?:spam|viruses|malware)"
         r"|\b(?:spamd|clamd|amavisd?|rspamd|spamassassin|clamav)\b[^.;]{0,20}?"
         r"(?:connection refused|not responding|unavailable|timed out|is down)"
         r"|milter (?:service )?(?:is )?(?:temporarily )?(?:unavailable|not (?:available"
         r"|responding)|failed|timed out)"
         # the server's own signer or checker broke: "internal DKIM error", "DKIM signing
         # failed" (signing is the server's work, not a verdict on our signature)
         r"|internal (?:dkim|spf|dmarc|arc|milter) (?:error|failure)"
         r"|(?:dkim|arc) sign(?:ing|er) (?:failed|failure|error)"
         r"|(?:failed|unable) to (?:dkim[- ]|arc[- ])?sign (?:the )?(?:message|mail)\b"
         # the same outage in other words and languages: "a temporary problem with its spam
         # protection service", de "Spamfilter / Virenscanner ... nicht erreichbar / ausgefallen",
         # fr "erreur de l'analyseur antivirus", es, pt
         r"|(?:problem|error|failure|issue) with (?:its|the|our|their) (?:spam|virus|malware"
         r"|content) (?:protection|filter\w*|scann\w*)"
         r"|(?:spam|virus|malware) protection service (?:is )?(?:temporarily )?(?:unavailable|down"
         r"|not responding)"
         r"|(?:spam|viren|virus|anti-?spam|anti-?viren|inhalts)-?(?:filter|scanner|schutz"
         r"|pr[üu]fung)\w*\b[^.;]{0,50}?(?:nicht erreichbar|ausgefallen|nicht verf[üu]gbar"
         r"|gest[öo]rt)"
         r"|(?:erreur|panne|d[ée]faillance) (?:temporaire )?(?:de l'|du |de la )(?:analyseur"
         r"|scanner"
         r"|filtre|moteur|service) (?:anti-?virus|anti-?spam)"
         r"|(?:analyseur|filtre|service|moteur|scanner) (?:anti-?virus|anti-?spam)\b[^.;]{0,30}"
         r"(?:indisponible|en panne|ne r[ée]pond pas|hors service)"
         r"|(?:servicio|filtro|analizador|esc[áa]ner|servi[çc]o) (?:anti-?spam|anti-?v[íi]rus)\b"
         r"[^.;]{0,30}(?:no (?:est[áa] )?disponible|no responde|fuera de servicio"
         r"|indispon[íi]vel|n[ãa]o responde)"),
    # A quota, policy or LDAP service the server asks before it accepts a recipient, down or
    # failing, says nothing of the recipient: not a full mailbox, not an unknown user.
    rule("lookup-failure", 4999,
         r"(?:quota|policy|ldap) (?:service|server|daemon|lookup|query|check)s? (?:is |has )?"
         r"(?:temporarily |currently )?(?:unavailable|not (?:available|responding)|failed|error"
         r"|timed out|down\b)|ldap (?:lookup |query |search |bind )?(?:failed|error|timeout)"),
    # NetEase's spam code names the verdict even when its Chinese text goes on to ask whether
    # users sent "viruses or spam": before the virus rows.
    rule("spam-content", 1004, r"\bdt:spm\b"),
    # Parts of our message a filter could not analyse (Rich Text, broken MIME), taken out and
    # not delivered: a verdict on the message's form, not a virus found nor a scanner outage.
    rule("unscannable-content", 1004,
         r"no (?:han |hayan |ha )?(?:pogut|podido) (?:ser )?anali[tz]|non (?:e'|è) (?:stato"
         r" possibile|riuscito ad?) analizzar|n[ãa]o (?:puder|pode|p[ôo]de) ser analisad"
         r"|falh\w* ao analisar|nicht (?:komplett |vollst[äa]ndig |ganz )?untersuch"
         r"|niet (?:\S+ )?geanalyseerd|geen (?:complete|volledige) analyse"
         r"|nemohl\w* (?:b[ýy]t )?analyzov|selhal\w* p[řr]i (?:kompletn[íi] )?anal[ýy]z"
         r"|nem tudta (?:\S+ )?anali[zs]|n'(?:a|ont) pu (?:[êe]tre )?analys"
         r"|misslyckades med att analysera|kunne ikke (?:\S+ )?(?:skannes|scannes|analyseres)"
         r"|could not be (?:completely )?analy[sz]ed|failed to (?:completely )?analy[sz]e"),
    # A filter's notice that it kept content it bans, or held the message for review: the
    # banned content is a content verdict (1004); a hold for review before delivery that names
    # nothing else is a notice, not a rejection (5999).
    rule("spam-content", 1004,
         r"(?:gesperrte[rn]?|blockierte[rn]?|verbotene[rn]?) inhalt|conte[úu]do (?:\S+ )?bloquead"
         r"|contenido (?:\S+ )?(?:bloquead|no aceptad)|contenuto (?:\S+ )?(?:bloccat|vietat)"
         r"|(?:geblokkeerde|ongewenste|verboden) inhoud|zak[áa]zan[ýy] obsah"
         r"|zablokowan\w* tre[śs][ćc]|заблокированн\w* содержим|contenu (?:bloqu|interdit)"),
    rule("held-for-review", 5999,
         r"quarant\w* (?:\S+ ){0,3}(?:for|pending|awaiting) (?:\S+ )?review"
         r"|quarant[äa]ne gestellt\W+(?:\S+ ){0,6}(?:untersucht|gepr[üu]ft)"
         r"|quarantena per (?:a )?revis|cuarentena para (?:su )?revisi|quarentena para (?:a )?revis"
         r"|quarantaine (?:\S+ ){0,3}(?:pour|en vue d'une?) (?:v[ée]rification|examen|analyse)"
         r"|karant[ée]n\w* (?:k |pro )?posouzen|zal worden gecontroleerd (?:voor(?:dat|aleer)"
         r"|alvorens)|kwarantann\w* (?:do |w celu )?(?:weryfikacj|sprawdzen)"
         r"|карантин\w* (?:для|до) проверк"),
    # Content a filter calls (potentially) dangerous, in other languages: before the virus row,
    # which the filter's name ("antivirus", "Virenscanner") would otherwise trip.
    rule("spam-content", 1004,
         r"(?:potenziell |m[öo]glicherweise )?gef[äa]hrlich\w* (?:inhalt|e-?mail|nachricht"
         r"|anh[äa]ng|datei)|potencialmente peligros|contenido (?:\S+ )?peligros"
         r"|(?:courriel|message|contenu|e-?mail|pi[èe]ce jointe) (?:\S+ )?dangereu"
         r"|potentiellement dangereu|gevaarlijke? (?:inhoud|e-?mail|bericht|bijlage)"
         r"|conte[úu]do (?:\S+ )?perigos|potenci[áa]ln[eě] nebezpe[čc]n"
         r"|nebezpe[čc]n\w* (?:obsah|e-?mail|zpr[áa]v|spr[áa]v)|potencialment perill[óo]s"
         r"|contingut (?:\S+ )?perill[óo]s|potenzialmente pericolos|contenuto (?:\S+ )?pericolos"
         r"|potencjalnie niebezpieczn|niebezpieczn\w* (?:tre[śs][ćc]|zawarto|za[łl][ąa]cznik)"
         r"|потенциально опасн|опасн\w* (?:содержим|вложени)|vesz[ée]lyes (?:tartalm|lev[ée]l"
         r"|mell[ée]klet)|potentiellt farlig|farlig[t]? (?:inneh[åa]ll|e-?post|bilaga)"),
    # An attachment type the site does not accept, in other languages: a content verdict even
    # when a "virus scanner" reports it.
    rule("spam-content", 1004,
         r"(?:unerlaubte[rn]?|unzul[äa]ssige[rn]?|verbotene[rn]?) (?:dateianh[äa]ng|anh[äa]ng"
         r"|datei)"
         r"|anh[äa]nge? (?:\S+ ){0,4}(?:nicht erlaubt|unzul[äa]ssig|verboten)"
         r"|allegat\w* (?:\S+ ){0,4}(?:non (?:accettabil|consentit|ammess)|vietat)"
         r"|onaanvaardbare bijlage|bijlage\w* (?:\S+ ){0,4}(?:niet toegestaan|verboden|geweigerd)"
         r"|anexos? (?:\S+ ){0,8}(?:pro[íi]bid|n[ãa]o permitid|n[ãa]o aceit)"
         r"|(?:adjuntos?|anexos?|archivos?) (?:\S+ ){0,6}(?:no aceptad|prohibid|no permitid)"
         r"|pi[èe]ces? jointes? (?:\S+ ){0,6}(?:interdite|refus[ée]|non autoris|suspecte)"
         r"|bilag\w* (?:\S+ ){0,8}(?:(?:inte|ej|ikke) (?:\S+ ){0,5}godk[äae]n+|f[öo]rbjud"
         r"|ikke tillad)"
         r"|(?:inte|ej) godk[äa]nd\w* bilag|u[øo]nskede? bilag|nepovolen\w* p[řr][íi]lo[hž]"
         r"|p[řr][íi]lo[hž]\w* (?:\S+ ){0,3}nepovolen|elfogadhatatlan (?:\S+ )?mell[ée]klet"
         r"|adjunts? (?:\S+ ){0,4}inacceptabl|(?:niedozwolon|zabronion)\w* za[łl][ąa]cznik"
         r"|za[łl][ąa]cznik\w* (?:\S+ ){0,3}(?:niedozwolon"
         r"|zabronion|zablokowan)|вложени\w* (?:\S+ ){0,3}(?:запрещ|недопустим)"),
    # A client host blocked because it "may be infected" is our IP on a list of infected hosts
    # (a botnet listing such as the CBL's), not a virus found in the message.
    rule("blocklist-ip", 1002,
         r"client host \[[^\]]*\] blocked|\bbotnet\b|infected (?:computer|host|machine|pc)s?\b"
         # the connecting client itself turned away ("you are not welcome here", "you cannot
         # connect for 2 more days"): a block of our host, not of one message or address
         r"|\byou(?:'re| are| were) not welcome\b|\byou (?:can ?not|can't|may not|are not allowed"
         r" to) connect\b|\bdu bist (?:hier )?nicht willkommen|\bvous n'[êe]tes pas (?:le )?"
         r"bienvenue?\b|\bno (?:eres|es|sois) bienvenid"
         r"|(?:computer|host|machine|pc|ip|server|network)s? (?:\S+ )?(?:may|might|seems to|appears"
         r" to) be infected|(?:computer|host|machine|pc|ip|server|network)s? (?:is|are) infected"),
    # "virus" inside a host name ("antivirus1.example.org") names a machine, not a finding (the
    # rules read an address as `x@x.x`: app/classify `_read`).
    rule("virus", 1007,
         r"virus(?![\w-]*\.[a-z])|malware|infected|trojan|\bworm\b"
         r"|malicious (?:content|code|attachment|file|object)|(?:message|e-?mail) contains a threat"
         r"|(?:malicious|dangerous) (?:macro|office document)"),
    rule("virus", 1007, r"вирус|病毒|ウイルス|ウィルス|v[íi]rus\b(?![\w-]*\.[a-z])"
         r"|vir[üu]s\b(?![\w-]*\.[a-z])|\bwirus"
         r"|infett[aeio]\b|infectad[oa]s?\b|infecté(?:e|s|es)?\b|infizier\w*|virenverseucht"
         r"|infekovan\w*|infikovan\w*|fert[őo]z[öo]tt|zainfekowan\w*|заражен\w*|besmet\w*"
         r"|smittad\w*|inficer\w*"),
    # A file type the filter refuses, even when its list of them is called a blacklist.
    rule("spam-content", 1004,
         r"(?:high[- ]risk|dangerous|blacklisted|banned|forbidden) (?:file )?(?:extension"
         r"|attachment|file type)"
         r"|mime (?:type|part)s?\b[^.;]{0,40}\bnot (?:accepted|allowed|permitted)"
         r"|attachment (?:type|extension|file type)s?\b(?:[^.;]|\.(?=\S)){0,30}?\bnot (?:allowed"
         r"|permitted|accepted)"
         r"|too many mime (?:parts|entities|sections)|\bbanned (?:file ?)?names?\b"),
    rule("open-relay-listing", 1002, r"(?:is|as) an open relay|open proxy"),
    # Cloudmark and Proofpoint run both IP reputation lists and content filters: a message
    # "classified as spam by" them is a verdict on the content, before their names read as
    # an IP list below.
    rule("spam-content", 1004,
         r"(?:classified|identified|detected|flagged|marked|scored|rejected) as spam by (?:the )?"
         r"(?:cloudmark|proofpoint)\b|(?:cloudmark|proofpoint)\b[^.;]{0,30}\b(?:classified"
         r"|identified|flagged|marked|detected) (?:it |this (?:message|e-?mail) |the message )?"
         r"as (?:spam|phishing)|phishing (?:message|e-?mail|attempt)"
         r"|(?:classified|identified|flagged|marked|detected) as (?:a )?phishing\b"
         r"|access denied[,:;]? spam abuse"),
    # Our own organisation's outbound block (Microsoft 365's tenant allow/block list refusing a
    # recipient): a policy on our side, not a list we are on; before the block-list rows.
    rule("policy-violation", 1999,
         r"tenant allow/block list|blocked by (?:your|the sender'?s?) (?:organi[sz]ation|company"
         r"|tenant|administrator|admin)\b"),
    # The recipient on the receiving side's own block list ("blacklisted recipient: <...>"):
    # a refusal of that address, not a list we are on; before the block-list rows take the
    # word. Counted, not acted on at once: "blacklist" is a doubt word (app/classify).
    rule("recipient-restricted", 2999,
         r"(?:black|block|deny|ban)listed (?:recipient|rcpt)\b"
         r"|(?:recipient|rcpt)(?: address)? (?:is |was |has been )?(?:black|block|deny)listed\b"),
    # An ESP refusing a recipient on its own suppression list (an earlier hard bounce, complaint
    # or unsubscribe): SparkPost's "suppressed due to customer/system policy", Postmark's
    # "marked as inactive", SES's "Address blacklisted". Before the block-list rows and the
    # "inactive" account rows: it is the relay's list of dead recipients, not our IP or a
    # dormant mailbox.
    rule("esp-suppressed", 2999,
         r"recipient (?:e-?mail )?address (?:was |has been |is )?suppressed"
         r"|suppressed (?:due to|by) (?:customer|system|account|global) policy"
         r"|(?:recipients?|addresse?s?)(?:\(s\)|\(es\))? that (?:have|has) been marked as inactive"
         r"|found inactive (?:e-?mail )?addresses|inactive recipients are ones that"
         r"|message rejected: (?:e-?mail )?address blacklisted"),
    # Zoho's "Relaying disallowed as <address>": our From address is not one the authenticated
    # account may send as; the relay wording names the sender, so it is not a relay refusal.
    rule("sender-rejected", 1999, r"relay(?:ing)? (?:is )?disallowed as\b"),
    # SparkPost's expiry: the cause is that none of the domain's servers answered, not that
    # the domain has none.
    rule("connection-failed", 4003,
         r"(?:mail |mx |smtp )?(?:servers?|hosts?) for (?:this|the) domain could (?:not )?"
         r"be reached"),
    # The server that sent us the message on a public black list, in other languages.
    rule("blocklist-ip", 1002,
         r"(?:servidor|serveur|server|szerver|serwer|сервер|servern?)\b[^.;]{0,140}?(?:llista negra"
         r"|lista[- ]negra|liste noire|liste pubbliche|lista nera|zwarte lijst|svartlistad"
         r"|sortlist|schwarze[rn]? liste|[čc]ern[ée]m seznamu|[čc]iernej listin|feketelist"
         r"|nyilv[áa]nos list[áa]j|czarn\w* li[śs]|черн\w* спис)"),
    # Our IP on a black list in other languages (before the sender's and domain's below).
    rule("blocklist-ip", 1002,
         r"(?:adresse ip|indirizzo ip|direcci[óo]n ip|endere[çc]o ip|ip-adresse|ip-adres|adres ip"
         r"|ip-адрес|\bip\b|ip ?アドレス)(?:[^.;]|\.(?=\S)){0,40}(?:liste noire|lista negra"
         r"|lista nera|blacklist"
         r"|zwarte lijst|schwarze[rn]? liste|sperrliste|czarn\w* li[śs]|черн\w* спис|拒否"
         r"|ブロック)"
         r"|(?:ip-adres|ip-адрес)\w*\b(?:[^.;]|\.(?=\S)){0,40}?(?:blokkadelijst|blokkeerlijst"
         r"|список\w* блокировк|блок-?лист)"),
    # The sender blocked by the recipient, or our domain on a black list, in other languages.
    rule("blocklist-domain", 1003,
         r"(?:remitente|exp[ée]diteur|mittente|remetente|absender|afzender|nadawc\w*|отправител\w*"
         r"|domaine|dominio|dom[íi]nio|domein|domain|домен\w*)\b(?:[^.;]|\.(?=\S)){0,30}?"
         r"(?:liste noire"
         r"|lista negra"
         r"|lista nera|zwarte lijst|schwarze[rn]? liste|sperrliste|czarn\w* li[śs]|черн\w* спис"
         r"|blacklist)"
         r"|(?:vom|von der|von dem) empf[äa]nger (?:\S+ )?(?:blockiert|gesperrt)|empf[äa]nger hat"
         r" (?:\S+ ){0,3}(?:blockiert|gesperrt)|bloqu[ée]e? par (?:le |la )?destinataire"
         r"|destinataire a bloqu[ée]|bloquead[oa] (?:por|pel)[oa]? (?:el |o )?destinat[áa]rio"
         r"|destinat[áa]rio (?:ha |te |tem )?bloquead|bloccat[oa] dal destinatario"
         r"|destinatario ha bloccato|geblokkeerd door (?:de )?ontvanger"
         r"|sender(?: address)? (?:is )?on (?:the |their )?(?:recipient'?s?|organi[sz]ation'?s?"
         r"|user'?s?) (?:blocked|block|deny|black) ?list"
         r"|sender (?:is |was |has been )?blocked by (?:the )?recipient"
         r"|(?:mail|message) (?:was |has been )?(?:denied|refused|blocked) (?:from|by) (?:the )?"
         r"(?:receiver|recipient)\b(?!['’]s)"  # noqa: RUF001
         r"|ontvanger heeft (?:\S+ ){0,3}"
         r"geblokkeerd|ontvanger (?:uw|je) (?:e-?mail)?adres (?:\S+ )?heeft geblokkeerd"
         r"|zablokowan\w* przez odbiorc|заблокирован\w* получател"
         r"|(?:发件人|發件人|寄件者)(?!的? ?ip).{0,10}(?:黑名单|黑名單)"
         r"|(?:アドレス|受信者|宛先|相手)(?:は|が|側で)"
         r".{0,10}受信(?:を)?拒否|차단된 발신자"
         r"|발신자.{0,10}차단"),
    rule("blocklist-domain", 1003,
         r"\bdbl\b|uribl|surbl|\b(?:black|block|deny)?listed (?:url|domain|link)"
         r"|\b(?:url|uri|link)s? (?:\S+ )?listed (?:in|on|at|by)\b"
         r"|\b(?:black|block|deny)listed (?:sender|envelope sender|from address)\b"
         r"(?! ?(?:ip|host|server|\[?\d))"
         r"|(?:url|domain|link|uri)s? (?:\S+ )?(?:is |are |was )?(?:black|block|deny)listed\b"
         r"|(?:mail ?from|helo|sender|sending) (?:domain )?(?!(?:ip|host|server)\b)(?:\S+ )?"
         r"(?:is |was )?"
         r"(?:listed|(?:black|block|deny)listed)\b"
         r"|sender (?:address )?(?:is )?on (?:the |a |our |my |[\w.-]+'s )?"
         r"(?:black|block|deny)\s?list"
         r"|blocked senders? list|reputation of the (?:sending |sender )?domain"
         r"|(?:domain|sender) reputation|domain (?:\S+ )?(?:is |has been )?(?:temporar(?:il)?y )?"
         r"(?:blocked|banned)"
         r"|(?:registered|reported|known|listed) as (?:a )?spammer"
         r"|(?:mail|messages?) (?:originating )?from (?:that|this|your) domain (?:is|are) not"
         r" (?:welcome|accepted|allowed)"
         r"|blocking (?:messages|mail|e-?mails?) from your (?:domain|address|e-?mail address)"
         r"|your domain\b[^.;]{0,40}\b(?:flagged|blocked|banned)"
         r"|no longer (?:wish to )?receive (?:e-?)?mail from you|(?:links?|urls?)\b[^.;]{0,40}"
         r"(?:black|block|deny)listed (?:site|domain|url|page)"
         r"|your e-?mail address (?:\S+ )?(?:has been |is |was )?(?:blocked|banned|blacklisted)"
         r"|chosen not to (?:accept|receive) (?:e-?)?mail from you"
         r"|(?:domain|helo(?: name)?|from address|envelope sender)\b(?:[^.;]|\.(?=\S)){0,40}?\b"
         r"(?:has been |is |was )?(?:black|block|deny)listed|(?:sender|sending|from) domain "
         r"(?:\S+ ){0,2}(?:has )?(?:a )?(?:poor|bad|negative|low) reputation"
         r"|sender (?:e-?mail )?address (?:\S+ )?(?:is |has been |was )?(?:blocked|banned"
         r"|blacklisted)"
         r"|(?:blocked|blacklisted|banned) by (?:the )?recipient'?s? (?:policy|settings|rules|list)"
         r"|(?:sending|sender'?s?|from|your) domain\b(?:[^.;]|\.(?=\S)){0,30}\bon (?:our|the|a)"
         r" (?:block|black"
         r"|deny)"
         r" ?list|(?:url|uri|link|domain)s?\b[^.;]{0,30}\bon (?:a|the|our) (?:block|black"
         r"|deny) ?list"
         r"|sender (?:address )?(?:rejected|refused|blocked)\W{1,3}\(?(?:black|block|deny)listed"
         r"|(?:isn't|is not|not) accepting (?:messages|mail|e-?mails?) from your"
         r" (?:e-?mail )?address"
         r"|(?:by|in) (?:the )?user'?s? reject list"
         r"|(?:user|recipient)(?:'s)? (?:in |on )?(?:the |a |his |her )?(?:black|block|deny) ?list"
         r"|envelope blocked|blocked senders?\b(?! ?(?:ip|host|server|network))"
         r"|(?:recipient|user|addressee) (?:refuses|rejects|declines|does not accept"
         r"|doesn't accept) (?:e-?mails?|mail|messages?) from (?:you|your|this sender)\b"
         r"|(?:送信元|送信者|差出人|发件人|發件人|发信)?(?:ドメイン|域名).{0,12}(?:ブラックリスト"
         r"|ブロックリスト|黑名单|黑名單)"
         r"|no access (?:for|from) (?:this|your|the) (?:domain|sender|user)\b"
         r"|has blocked (?:messages|mail|e-?mails?) from (?:this|the|your) sender"
         # a sender domain's or a link's reputation, before the IP rows' "low reputation",
         # "source of spam" and "mauvaise réputation" take it for our IP's
         r"|(?:url|uri|link)s?\b[^.;]{0,40}\b(?:has|have) (?:an? )?(?:very )?(?:low|poor|bad"
         r"|negative) reputation"
         r"|domain (?:in|of) (?:your|the) (?:from|sender|envelope)\b[^.;]{0,30}\breputation"
         r"|(?:sender|sending|from) domain\b(?:[^.;]|\.(?=\S)){0,40}\b(?:has been|was|is) flagged\b"
         r"|(?:domaine?|dominio|dom[íi]nio|domein|dom[äa]ne|домен\w*)\b[^.;]{0,40}(?:mauvaise"
         r"|faible|mala|baja|scarsa|cattiva|m[áa]|baixa|slechte|schlechte[rn]?|geringe[rn]?"
         r"|плох\w*|низк\w*) r[ée]put"),
    rule("blocklist-ip", 1002,
         r"spamhaus|barracudacentral|barracuda (?:reputation|rbl)|\bbrbl\b|spamcop|sorbs"
         r"|\bs31(?:50|40|14|15)\b|dnsbl|\brbl\b"
         r"|blocked using|(?<!may be )blacklist|blocklist|denylist"
         r"|(?:is|are|was|been|currently) listed (?:in|on|at|by) |cloudmark|proofpoint"
         r"|banned sending ip|spamrats|\bpsbl\b|ip (?:source )?bloquee"
         r"|client host (?:\S+ )?(?:is )?blocked|no access (?:for|from) (?:this|your|the) ip\b"
         r"|dial-?up (?:hosts?|ips?|users?|address|pool|list)|dynamic (?:ip|host|address|pool)"
         r"|dynamically[- ]assigned"
         r"|residential (?:ip|host|address)"
         r"|\b(?:cbl|pbl|sbl|xbl)\b|uceprotect|mailspike|abuseat|\bordb\b|mail-abuse\.org"
         r"|\bblock ?list|\bblack ?list"
         r"|on (?:our|my|the) block(?:ed)? list"
         r"|(?:address|host|network|server|netblock)\b[^.;]{0,40}\b(?:is |has been |was )?"
         r"(?:blocked|banned)\b|access from ip address [^ ]+ blocked"
         # 'ip ... blocked' within 40 characters, or 'ip [address] <one token> blocked': one
         # alternative, not two, as both can require only 'blocked' (or 'banned') of the
         # text; the {1} keeps the splitter from spelling the two ways out as two alternatives
         r"|ip(?:\b[^.;]{0,40}\b(?:is |has been |was )?|(?<=\bip) (?:address )?(?:\S+ )?){1}"
         r"(?:blocked|banned)\b|5\.7\.6(?:0[6-9]|[1-4]\d)\b"
         r"|\b\d{1,3}(?:\.\d{1,3}){3}\b[^.;]{0,20}?\b(?:is |has been )?blocked\b"
         r"|\b\d{1,3}(?:\.\d{1,3}){3}\b[^.;]{0,20}?\b(?:is |has been )?banned\b"
         r"|against your ip|block has been placed|blocked (?:for abuse|by ldap)"
         r"|\bip (?:is |has been |was )?(?:rejected|refused|denied|hangup)\b"
         r"|unauthorized interface|not (?:in|on) (?:the |our )?(?:white ?list|allow ?list)"
         r"|(?:traffic|connections?|mail) (?:will )?not (?:be )?accepted from (?:this|your|the)? ?"
         r"(?:ip|host|\d)|block (?:for|due to) (?:spam|abuse)"
         r"|abuse detected from (?:your |this |the )?ip\b|banned sender ?\[\d"
         r"|use (?:your|the) (?:isp'?s?|provider'?s?|service provider'?s?) (?:smtp )?(?:relay"
         r"|server|smarthost)|smtp relay at your (?:service )?provider"
         r"|your (?:ip|ip address|server|mail server)\b[^.;]{0,20}\b(?:is )?sending spam"
         r"|mail from \d{1,3}(?:\.\d{1,3}){3} (?:refused|rejected|denied|blocked)"
         r"|(?:ip|network|server)\b[^.;]{0,30}\bnot trusted|no reputation yet|newly seen ip"
         r"|(?:sending |your )?ip (?:\S+ )?has no reputation"
         r"|new ip address(?:es)? (?:are )?not accepted"
         r"|(?:mail|messages|connections?) from (?:your|this|the sending) (?:ip|network|ip range)\b"
         r"[^.;]{0,20}"
         r"(?:is |are )?not accepted|connection (?:refused|rejected|denied) (?:from|for) "
         r"\[?\d{1,3}(?:\.\d{1,3}){3}"
         r"|\bip=\d{1,3}(?:\.\d{1,3}){3} - a problem occurred"),
    # NetEase's (163/126/yeah.net) published reply codes name the cause in four letters.
    rule("blocklist-ip", 1002, r"\bdt:rbl\b"),
    # AOL's published reply codes (postmaster.info.aol.com/errors): RLY/CON/DYN are our IP,
    # HVU a URL in the content, DNS:NR our reverse DNS, SLY a sending limit.
    rule("blocklist-ip", 1002, r"\b(?:rly:(?:b\d|bl|ip|nw|ir)|con:b\d|dyn:t\d|rtr:[a-z]{2})\b"),
    # Comcast's and BlueTie's published block codes (BL000000, BL0001): our IP.
    rule("blocklist-ip", 1002, r"\bbl000\d{1,3}\b|\bip[_ ]control\b"
         r"|your ip\b[^.;]{0,30}(?:is )?filtered|register your ip"
         r"|\b5\d\d[ -](?:5\.\d\.\d+ )?connection refused\b"),
    rule("rate-limit", 1006, r"\brl000\d{1,3}\b|dictionary attack|directory harvest"
         r"|connection deferred|null sender rate"),
    # A receiver-side list of senders: qmail's badmailfrom, a recipient's own block list.
    rule("blocklist-domain", 1003,
         r"badmailfrom|ivmuri|\bzrd\b|zero reputation domain|newly registered domain"
         r"|registered within the last \d+ days|(?:sending|sender) domain (?:is )?too new"
         r"|(?:recipient"
         r"|user|addressee) has blocked (?:you|your|this|the sender"
         r"|messages|mail|e-?mails?)|blocked by (?:the )?(?:recipient|user|addressee)\b(?!'s)"
         r"|sender (?:address )?(?:is )?(?:on|in) (?:the |a |our |my )?(?:user|recipient"
         r"|personal|local) (?:black|block|deny) ?list|(?:url|uri|link|domain)s? (?:\S+ )?"
         r"(?:in (?:the )?(?:message|body|content) )?(?:is |are |was )?(?:blocked|banned|listed)\b"
         r"|(?:blocked|bad|malicious|blacklisted|listed|prohibited|forbidden|banned|spam) (?:urls?"
         r"|links?|uris?)\b"
         r"|\bintent\b[^.;]{0,20}(?:url|link|reject)|intent analysis|\burlbl\d{3,4}\b"
         r"|(?:the )?sender (?:\S+ )?(?:is |was |has been )blocked\b"
         r"|(?:link|url|domain)s? (?:to a domain )?with (?:a )?(?:very )?(?:low|poor|bad)"
         r" reputation"),
    rule("blocklist-domain", 1003, r"\bhvu:b\d\b"),
    # The recipient's own refusal of us ("Your message was rejected by this user"): a
    # receiver-side block list, not a verdict on the address.
    rule("blocklist-domain", 1003,
         r"(?:rejected|refused|declined) by (?:this|the) (?:user|recipient|addressee)\b"
         r"(?!'|\s(?:e-?mail |mail )?(?:server|domain|system|host|mail|mta|side|organi[sz]ation))"
         r"|(?:recipient|user|addressee) (?:does not|doesn't|do not|don't) (?:want|wish)"
         r" (?:to (?:receive|get) )?(?:your|any|these|this|such) (?:e-?mails?|mail|messages?)\b"
         r"|(?:recipient|user|addressee) (?:does not|doesn't) (?:want|wish) to (?:receive|get)"
         r" (?:e-?mails?|mail|messages?) from (?:you|your|this sender)\b"),
    rule("reverse-dns", 1999, r"\bdns:nr\b"),
    rule("rate-limit", 1006, r"\bsly:e\d\b"),
    # NetEase's (163, 126, yeah.net, and the 163ns hosts') published codes: HL:IHU (our IP
    # suspended for its sending behaviour) and HL:MEP (our IP forging sender domains) block
    # the IP itself, a receiver's own IP list (1002); the others limit our rate.
    rule("blocklist-ip", 1002, r"\bhl:(?:ihu|mep)\b"),
    rule("rate-limit", 1006,
         r"\b(?:hl:(?:icc|ifc|rtr)|rp:(?:rdn|rcl|trc|qrc)|mi:(?:sfq|dmc))\b"),
    rule("blocklist-ip", 1002,
         r"(?<![a-z])ip(?![a-z]).{0,60}?(?:禁止|拒绝|拒絕|黑名单|黑名單|不在.{0,12}列表|封禁|被封)"),
    rule("blocklist-ip", 1002,
         r"sperrliste|schwarze[rn]? liste|blockliste|liste noire|lista negra|lista nera"
         r"|liste de blocage|lista de bloqueo|lista di blocco|lista de bloqueio|blokkeerlijst"
         r"|li[śs]cie blokowanych|списк\w* блокировки|ブロックリスト|拦截列表|攔截列表"
         r"|zwarte lijst|czarn\w* li[śs]|черн\w* спис|чёрн\w* спис|ブラックリスト"
         r"|(?:indirizzo ip|adresse ip|direcci[óo]n ip|endere[çc]o ip|ip-adresse|ip-adres"
         r"|adres ip|ip-адрес)\b[^.;]{0,30}(?:bloccat|bloquead|bloqu[ée]|gesperrt|blockiert"
         r"|geblokkeerd|zablokowan|заблокирован|list[ée]e?\b|listad[ao]|listat[ao]|gelistet"
         r"|vermeld|na li[śs]cie|в списке)"
         r"|黑名单|黑名單"),
    # Providers' and filters' own words for a refused sending IP or host: Outlook.com's SC-/DY-/
    # OU- codes, Yahoo's [BL21], NetEase's IP: and HL:IPB, qmail's "mail from your location",
    # qpsmtpd's karma, and the families of "your server / the sending IP is listed, blocked".
    rule("blocklist-ip", 1002,
         r"\b(?:sc|dy|ou)-00\d\b|\[bl2\d\]|\bhl:ipb\b|\bip:(?:b\d|bl|rbl|dat)\b"
         r"|mail from your location|\bkarma\b|botnet|compromised (?:host|machine|server|computer)"
         r"|(?:known|suspected|confirmed) spam (?:source|sender|host|server|ip)|spam source"
         r"|source of spam|(?:the sender|sending host|sending server|your ip)\b[^.;]{0,30}\b"
         r"(?:is |are |has been )?banned\b|(?:your|sending|source) (?:ip|server|mta"
         r"|mail server|smtp server)\b[^.;]{0,40}\b(?<!not )(?:listed|blocked|banned"
         r"|blacklisted)\b"
         r"|(?:sender ?score|senderscore)|reputation (?:database|services?|list|check|filter|score)"
         r"|(?:poor|bad|negative) sending history|ip ?アドレス.{0,40}?レピュテーション"
         r"|(?:ip|address|host) (?:\S+ )?(?:is )?(?:not whitelisted|not on (?:the |our )?whitelist)"
         r"|abusix|invaluement|nixspam|dronebl|backscatterer|spameatingmonkey|gbudb"
         r"|\bcxbl\b|\bipbl\d{3,4}\b|aup#|\bsbrs\b|\[csi:|your access to (?:submit|send)"
         r"|(?:refused|rejected|blocked|denied) (?:due to|for|because of) abuse|mail-abuse\.com"
         r"|\bers\b[^.;]{0,20}\b(?:rbl|reputation)|ers-qil|\bqil\b"
         r"|clarify\.\) \(bl\)|mauvaise r[ée]putation|faible r[ée]putation"
         r"|r[ée]putation (?:insuffisante|de (?:l'ip|votre))|(?:mala|baja) reputaci[óo]n"
         r"|(?:scarsa|cattiva) reputazione|(?:m[áa]|baixa) reputa[çc][ãa]o"
         r"|schlechte[rn]? (?:reputation|ruf)|geringe[rn]? reputation|плох\w* репутаци"
         r"|низк\w* репутаци"),
    rule("blocklist-ip", 1002,
         r"(?<![a-z])ip(?![- ]?(?:address )?responded with)[- ]?(?:adresse|adres|address)?\b"
         r"[^.;]{0,40}(?:gesperrt"
         r"|blockiert|abgelehnt"
         r"|bloqu[ée]e?|refus[ée]e?|bloquead[ao]|rechazad[ao]|bloccat[oa]|rifiutat[oa]"
         r"|geblokkeerd|geweigerd|zablokowan|odrzucon|заблокирован|отклон)"
         r"|(?:ваш|этот) (?:ip|сервер)\b[^.;]{0,30}(?:заблокирован|в черном|в чёрном)"),
    rule("ip-reputation", 1002, r"senderbase reputation|too many spams? from your ip"
                                r"|(?:low|poor|bad|negative) (?:ip |sender "
                                r"|sending )?reputation"
         r"|reputation of (?:the|your) (?:sending|ip|sender|server)|ip reputation"
         r"|reputation (?:is )?too low|(?:e-?mail )?reputation service"
         r"|spam statistics"),
    # Our authentication and our host's name are named causes even inside a rate limit's text
    # ("no PTR record ... your email has been temporarily rate limited"): before the limits.
    # Relay wording wins over the authentication it asks for ("Relaying denied. Proper
    # authentication required."): the destination is not one this server takes mail for.
    rule("rate-limit", 1006, r"unusual rate of (?:unsolicited )?(?:mail|e-?mail|messages)"
         r"|sending (?:messages|mail|e-?mails?) too (?:quickly|fast)|limit of (?:messages|e-?mails)"
         r" you can send"),
    rule("relaying-denied", 4006,
         r"relay(?:ing)? (?:access )?(?:is )?(?:denied|not (?:permitted|allowed)|prohibited)"
         r"[^;]{0,30}\b(?:auth|ip name)|credentials for relay"
         r"|auth(?:entication)? (?:is )?required (?:in order )?to send to (?:non-?local|remote"
         r"|external|foreign|outside) (?:recipients|domains|addresses|users)"
         r"|forward[- ]path (?:\S+ ){0,2}not (?:allowed|permitted|accepted)"),
    rule("authentication", 1999,
         r"\bdmarc\b|\bspf\b|\bdkim\b(?!-signature)|unauthenticated(?! commands)"
         r"|authentication (?:checks? )?fail|authentication (?:information|results|checks?\b)"
         r"|authentication unsuccessful"
         r"|(?:allowed|authori[sz]ed|permitted) to send (?:e-?)?mail (?:for|on behalf of) (?:your"
         r"|this"
         r"|the) domain|name does not match (?:its |the )?(?:ip )?address"
         r"|please authenticate\b|(?:need|have) to authenticate"
         r"|must (?:log ?in|login|sign in) (?:first )?(?:to|before) send"
         r"|authenticate with|must (?:be )?authenticated?|not authenticated|smtp auth"
         r"(?!enticated relay)|auth(?:entication)? (?:is )?required(?! (?:for|to) relay)"
         r"|spoof|forged|impersonat"
         r"|\bcsa status|openspf\.|spf\.pobox|sendernotauthenticated|not (?:logged|signed) in\b"
         r"|sender policy framework|domainkeys"
         r"|认证失败|身份验证失败|验证失败|未认证|未經認證|認証(?:に)?失敗|認証が必要"
         r"|authentifizierung (?:fehlgeschlagen|erforderlich)|authentification (?:[ée]chou[ée]e"
         r"|requise|obligatoire)|autenticaci[óo]n (?:fallida|requerida|obligatoria)"
         r"|autenticazione (?:fallita|richiesta|obbligatoria)|autentica[çc][ãa]o (?:falhou"
         r"|necess[áa]ria|obrigat[óo]ria)|authenticatie (?:mislukt|vereist)"
         r"|uwierzytelni\w* (?:nie powiod|wymagan)|аутентификаци\w* (?:не пройден|требуется"
         r"|обязательн)|требуется аутентификаци"
         r"|(?:password|oauth token|token|credentials) (?:has |have )?(?:expired|no longer valid)"),
    rule("reverse-dns", 1999,
         r"\bptr\b|\brdns\b|reverse (?:dns|lookup|mapping)|unverifi?y?able sending ip"
         r"|reverse-dns|dns (?:reverso|inverse|inverso)|обратн\w* (?:dns|зон)|逆引き|反向解析"
         r"|ip name lookup failed|mismatch(?:es)? (?:the )?client ip"
         r"|cannot find your (?:reverse )?hostname|fcrdns|need fully-qualified hostname"
         r"|(?:hostname|ip) (?:\S+ ){0,2}(?:does not|doesn't|did not) resolve"
         r"|(?:helo|ehlo) (?:domain|name|hostname) (?:\S+ )?(?:does not|doesn't|did not) resolve"
         r"|(?:client|helo|ehlo|your|sender|sending) host ?(?:name)?\b[^.;]{0,20}"
         r"(?:not found|does not exist|doesn't exist|unknown|not resolv)"),
    # The recipient's receive rate, not ours (rubric: 3003): before the sender rate limits.
    rule("recipient-unavailable", 3999,
         r"(?:temporary|temporarily) (?:\S+ ){0,2}recipient (?:validation|verification)"
         r"|mail ?box (?:is |was )?busy\b"
         r"|recipient verify callout|could not (?:complete|perform) (?:the )?recipient verif"),
    rule("recipient-rate", 3003,
         r"receiving (?:e-?mail|mail|messages) (?:at a rate|too (?:quickly|fast))"
         r"|messages to \S+ exceeded the recipient rate limit"
         r"|(?:exceeded|reached|hit) (?:the |its |their )?recipient'?s? (?:receiving|inbound) limit"
         r"|recipient'?s? (?:receiving|inbound) limit (?:\S+ )?(?:exceeded|reached)"
         r"|rate limit (?:for|of) (?:the |this )?"
         r"recipient"
         r"|too many (?:messages|mails|e-?mails) for (?:this |the )?(?:recipient|user)\b"
         r"[^.;]{0,20}(?:try|later|retry)"
         r"|recipient (?:is )?receiving (?:too many|mail too)"
         r"|recipient thread limit|message receive limit"
         r"|concurrent deliveries for (?:user|recipient)"
         r"|limit for the number of messages (?:they|it|the recipient) can receive"
         r"|can receive per (?:minute|hour|day)"),
    rule("recipient-rate", 3003,
         r"erh[äa]lt (?:zu (?:rasch|schnell|viele)|e-?mails zu (?:rasch|schnell))"
         r"|(?:recebendo|recebe) (?:e-?mails|mensagens) (?:a uma taxa|r[áa]pido demais)"
         r"|(?:recibiendo|recibe) (?:correos|mensajes)\b[^.;]{0,20}(?:a un ritmo"
         r"|demasiado r[áa]pido)|re[çc]oi[tv]\w* (?:des )?(?:e-?mails|messages|courriels)"
         r" (?:[àa] un rythme|trop rapidement)|正在接收大量|正在接收过多|正在接收過多"
         # "recipient mailbox receiving too many messages", zh "收件人接收邮件过于频繁",
         # pl "odbiorca otrzymuje zbyt wiele wiadomości": the recipient's rate, not ours
         r"|(?:recipient|user|mailbox|addressee)\b[^.;]{0,20}\breceiving too many"
         r"|(?:收件人|收信人)\S{0,6}(?:接收|收到|收取)\S{0,6}(?:过于频繁|過於頻繁|过多|過多)"
         r"|odbiorc\w* (?:otrzymuje|dostaje) (?:zbyt|za) (?:wiele|du[żz]o)"),
    # Too many messages *in a mailbox* is a full mailbox: before the sender rate limits.
    rule("mailbox-full", 3001,
         r"too many (?:messages|mails|emails) (?:in|on|for) (?:the |this |that |his |her "
         r"|their |your )?(?:mail ?box|inbox|server|folder|account|user|recipient)"
         r"|mailbox (?:has |contains )?too many (?:messages|mails|emails)"
         r"|(?:number|count) of (?:messages|mails|emails) (?:in|on|for) (?:the |this )?"
         r"(?:mail ?box|inbox|folder|account) [^.;]{0,40}(?:exceed|limit)"),
    rule("rate-limit", 1006,
         r"rate[- ]?limit|connection frequency|throttl|too many (?:connections|messages|mails"
         r"|e-?mails|concurrent|sessions|smtp sessions|simultaneous|unique|login|auth"
         r"|recipient attempts|failed)|sent to too many"
         r"|too many recipients (?:(?:received|sent|accepted) )?(?:this|per|in the last|an?)"
         r" (?:hour|minute|day)"
         r"|too many (?:invalid|unknown|bad|non-?existent|rejected) (?:recipients|users"
         r"|addresses|rcpts)|too many (?:recipient|rcpt) errors"
         r"|sending rate|(?:frequency|rate) (?:limited|exceeded)|\bts0\d\b|\btss0\d\b"
         r"|deferred due to (?:unexpected volume|user complaints)|unusual (?:rate|sending)"
         r"|unexpected volume|(?:hourly|daily|peak|relay|sending|send|message rate) "
         r"(?:quota|limit)s? (?:exceeded|reached|hit)"
         r"|(?:exceeded|reached) (?:the |your |its )?(?:hourly|daily|sending) (?:quota|limit)"
         r"|quota for sending|sending quota|slow down|\bexcessive\b(?! amounts? of data)"
         r"|\b4\.16\.5\d"
         r"|(?:message |sending |mail )?quota for your (?:domain|account)|sends too much mail"
         r"|max(?:imum)? (?:number of )?(?:e-?mails?|defers and failures) per (?:hour|day)"
         r"|(?:messages?|recipients?) per (?:session|connection)|max(?:imum)? (?:number of )?"
         r"messages? per|number of messages exceeded|max(?:imum)? (?:number of )?connections"
         r"|too much mail from|connection count|too many open connections|transfer quota"
         r"|max(?:imum)? (?:number of )?(?:concurrent|simultaneous) (?:sessions|connections)"
         r"|(?:messages|e-?mails) (?:can be )?sent per (?:hour|day)"
         r"|(?:messages?|e-?mails?|mails?) per (?:second|minute|hour|day) (?:limit )?(?:exceeded"
         r"|reached)|submission ?quota ?exceeded|sender thread limit"),
    rule("rate-limit", 1006,
         r"max(?:imum)? number of (?:messages|new/first-time recipients|first-time recipients"
         r"|recipients)\b[^.;]{0,40}(?:reached|exceeded)|exceeded (?:the )?permitted limits"
         r"|zu viele (?:gleichzeitige )?verbindungen|trop de connexions|demasiadas conexiones"
         r"|troppe connessioni"
         r"|excesso de conex[õo]es|exceso de conexiones|eccesso di connessioni|送信量が多すぎ"
         r"|muitas conex[õo]es|te veel verbindingen|zbyt wiele po[łl][ąa]cze[ńn]"
         r"|слишком много (?:соединений|подключений|писем|сообщений)|连接数过多|接続数が多すぎ"
         r"|(?<!大小)(?<!尺寸)超出限制|(?<!大小)(?<!尺寸)超过了?.{0,12}限制|并发连接数过大|大量信件"
         r"|频率|頻率|过于频繁|l[íi]mite de env[íi]o|limite d[ie] (?:invio|envio)|limite d'envoi"
         r"|versandlimit|sendelimit|verzendlimiet|limit\w* wysy[łl]k|limit\w* wysy[łl]ani"
         r"|лимит\w* (?:на )?отправк|发送(?:数量|上限)|发信(?:数量|上限)"
         r"|送信数が多すぎ|dopuszczaln\w* liczb\w* wiadomo"
         r"|liczb\w* wiadomo\w* (?:na|w ci[ąa]gu) (?:godzin|minut|dob)"),
    rule("rate-limit", 1006,
         r"submission (?:quota|limit|rate)|user complaints|complaint rate|per sender limit"
         r"|(?:tenant|sender|account) has exceeded (?:the |its |a )?threshold|\bgl0\d\b"
         r"|\brp:(?!cel)[a-z]{3}\b"
         r"|\bmi:stc\b"
         r"|denial of service|too much fail(?:ed)? auth|(?:number|count) of (?:rcpt|recipient)"
         r" attempts|(?:daily|hourly) (?:sending |message |e-?mail |mail )?(?:limit|quota)"
         r"|sending limit (?:exceeded|reached)"
         r"|(?:\b|sending |send |message |mail )limits? (?:for|of|on) your account\b[^.;]{0,20}?"
         r"(?:exceeded|reached)|(?:sending|send|message|mail) limits? (?:for|of|on) (?:this|the)"
         r" account\b[^.;]{0,20}?(?:exceeded|reached)"
         r"|your account (?:has )?(?:exceeded|reached|hit) (?:its|the|a|your) (?:sending |send "
         r"|message |mail |daily |hourly )?limits?\b|exceeded (?:your|the|its) (?:messaging|sending"
         r"|message|mail) limits?"
         r"|limit (?:on|for|of) (?:the )?number of (?:messages|e-?mails|recipients|connections)"
         r"|(?:high|excessive|unusual|abnormal|suspicious) (?:volume|traffic|amount of mail"
         r"|number of (?:messages|e-?mails|connections))|rate of (?:mail|e-?mail|messages"
         r"|unsolicited)|connections? (?:limit|rate) exceeded"
         r"|per-?ip (?:connection|rate|limit)|too (?:frequent|fast)\b"
         r"|message limit (?:exceeded|reached)"
         # the limits of the sending account ("your" account, not a mailbox's storage)
         r"|limits? (?:for|of|on) your (?:account|user|domain|subscription|plan)\b[^.;]{0,20}"
         r"(?:exceeded|reached)|your (?:account|user|domain)'?s? (?:sending )?limits? (?:\S+ )?"
         r"(?:exceeded|reached)"
         r"|limits? (?:f[üu]r )?ihr(?:es)? (?:konto|kontos|benutzerkonto)s? (?:\S+ )?"
         r"[üu]berschritten"
         r"|limites? de votre compte (?:\S+ ){0,2}(?:d[ée]pass|atteint)"
         r"|l[íi]mites? de su cuenta (?:\S+ ){0,2}(?:excedid|superad|alcanzad)"
         r"|too many (?:messages|mails|e-?mails|recipients) (?:from|sent|in the last|within)"
         # "you sent to many mails from different domains": the sender's volume, the common
         # misspelling too
         r"|(?:you|sender) (?:have |has )?sent (?:too|to) many (?:messages|mails|e-?mails)\b"
         r"|zu viele (?:nachrichten|e-?mails|mails)|trop de (?:messages|courriels|mails)"
         r"|demasiados (?:mensajes|correos)|troppi (?:messaggi|e-?mail)|muitas mensagens"
         r"|te veel (?:berichten|e-?mails)|zbyt wiele wiadomo|слишком част"
         r"|(?:连接|邮件|信件|请求|发信|發信)\S{0,4}(?:过多|過多)|送信制限|流量制限"
         r"|送信(?:数|量)(?:が|の)?(?:制限|上限)|\bs7771\d\b|발송량|발송 (?:한도|제한)"),
    rule("rate-limit", 1006,
         r"(?:relay|sende|versand)[\w-]*(?:limit|beschr[äa]nkung|grenze)\w*\b[^.;]{0,40}"
         r"[üu]berschritten|limite (?:de |d')?(?:envio|env[íi]o|envoi)s?\b[^.;]{0,40}"
         r"(?:excedid|ultrapassad|atingid|superad|alcanzad|d[ée]pass|atteint)"
         r"|limite (?:de |di )?(?:mensagens|mensajes|messages|messaggi|e-?mails)\b[^.;]{0,30}"
         r"(?:excedid|ultrapassad|atingid|superad|alcanzad|d[ée]pass|atteint|superat)"
         r"|(?:outbound|outgoing) (?:message |mail |e-?mail )?(?:sending )?limit"
         r"|(?:发信|发送|發信|發送)量.{0,6}(?:超过|超出|达到|超過|達到)"),
    rule("relaying-denied", 4006,
         r"relay(?:ing)? (?:access |operation |service )?(?:is )?(?:denied|not (?:permitted"
         r"|allowed)|prohibited|rejected|refused|disallowed|error|disabled|forbidden)"
         r"|not configured to relay"
         r"|insecure mail relay|(?:trying|attempting) to use (?:me|this (?:server|host|system))"
         r" (?:\[[^\]]*\] )?as an? (?:mail )?relay"
         r"|unauthori[sz]ed relay|relay(?:ing)? traffic (?:is )?(?:prohibited"
         r"|denied|not (?:permitted|allowed))"
         r"|(?:we do not|we don't|unable to|cannot|can't|not allowed to|not permitted to"
         r"|not authori[sz]ed to) relay|\bno relay(?:ing)?\b|relaying (?:to|mail to) "
         r"[^;]{0,80}(?:denied|not (?:allowed|permitted)|prohibited|forbidden|refused)|rcpthosts"
         r"|no such domain at this location|(?:relay|relaying) requires? (?:smtp )?auth"
         r"|(?:recipient|user|address|domain) (?:is )?not local\b(?!; please try)"
         r"|not handled (?:here|by this server)|relay(?:ing)? through (?:this|our) (?:server"
         r"|host)\b"
         r"[^.;]{0,20}(?:not (?:permitted|allowed)|denied|prohibited|without (?:smtp )?auth)"
         r"|(?:does not|doesn't) handle (?:e-?)?mail for|(?:mail )?server requires (?:smtp )?"
         r"authentication"
         r"|not a local (?:address|user|recipient|domain|mailbox)"
         r"|only accepts? (?:e-?)?mail for (?:its |our )?(?:own |local |hosted )?domains"
         r"|unavailable or (?:is )?not local\b"
         r"|auth(?:entication)? (?:is )?required (?:for|to) relay"
         r"|auth(?:entication|enticate)?[^.;]{0,30}(?:for|to) relay|not a gateway"
         r"|authenticated relay|not in my list of allowed (?:hosts|domains)"
         r"|local (?:users?|recipients?) only"),
    # A domain that "does not exist" on this server or in its routing table is one the server
    # does not serve (rubric: "No such domain at this location" is 4006, alt 2002), in the
    # languages the domain rows speak; before them.
    rule("relaying-denied", 4006,
         r"(?:domain|dom[äa]ne|domaine|dominio|dom[íi]nio)\b(?:[^.;]|\.(?=\S)){0,40}?"
         r"(?:does not exist|doesn't exist|is not known|existiert nicht|ist nicht bekannt"
         r"|no existe|n'existe pas|non esiste|n[ãa]o existe)"
         r" (?:(?:on|at|in|auf|en|sur|su|em|nel|no|na) (?:this|our|diesem|unserem|unserer|este"
         r"|nuestro|nuestra|ce|notre|questo|nostro|nossa|nosso|esta) |neste |nesse )"
         r"(?:server|host|system|location|routing ?table|routingtabelle|servidor|sistema"
         r"|serveur|syst[èe]me|tabla de enrutamiento)"),
    rule("tls-unavailable", 4999,
         r"(?:does not|doesn't|did not|didn't) (?:support|offer|advertise) "
         r"(?:the )?(?:tls|starttls)"
         r"|(?:tls|starttls) (?:is )?(?:not (?:supported|available|offered|advertised))"
         r"|(?:tls|starttls)\b[^.;]{0,40}(?:was|were) not offered"
         r"|tls is required, but (?:\S+ ){0,5}(?:unavailable|not available)"
         r"|refused to start tls|requires tls, but (?:\S+ ){0,4}(?:does not|doesn't) support"
         r"|tls configuration problem"
         r"|requiretls policy configuration error"
         r"|(?:server|host|mx)s? must support (?:tls|starttls)\b"),
    rule("tls-required", 1999,
         r"(?:tls|starttls|encryption|secure connection) (?:is )?(?:required|mandatory|needed)"
         r"|(?:does not|doesn't) use (?:a )?(?:secure connection|tls|starttls|encryption)"
         r"|must (?:issue|use|send) (?:a )?starttls|requires? (?:an? )?(?:tls|secure|encrypted)"
         r"|(?:due to|for) (?:a |the )?lack of (?:security|encryption|tls)"
         r"|(?:e-?)?mail (?:without|over) (?:a |an )?(?:tls|starttls|encryption|plain ?text"
         r"|unencrypted|insecure|clear ?text)\b"),
    # A bounce refused because its null-sender return path carries no valid signature (BATV,
    # SRS): the check is on our bounce's envelope, not on the recipient, before "does not
    # accept" reads as a domain that takes no mail.
    rule("bounce-signature", 1999,
         r"(?:unsigned|invalid|bad|missing|forged) (?:bounces?|batv|prvs|srs)\b"
         r"|(?:reverse[- ]path|return[- ]path|bounce address|bounce) (?:\S+ )?(?:signature"
         r"|not (?:srs |batv )?signed)|\bbatv\b"),
    rule("sender-rejected", 1999,
         r"(?:did not|didn't|does not|doesn't) identify itself|identify itself with a valid"
         r"|sender (?:address |domain )?(?:was |is )?(?:rejected|refused|invalid|unknown|denied"
         r"|not (?:verified|allowed|permitted|accepted|authori[sz]ed))"
         r"|sender (?:isn't|is not) (?:authori[sz]ed|allowed|permitted)"
         r"|(?:server|smtp|mail service) use (?:is )?(?:forbidden|denied|not (?:allowed|permitted))"
         r"|use of this (?:mail |smtp |e-?mail )?server (?:is )?(?:forbidden|denied"
         r"|not (?:allowed|permitted))"
         r"|sender (?:address )?verification failed"
         r"|no (?:mail hosts?|mx(?: records?)?|mail servers?) (?:for|of) (?:the |your )?sender'?s?"
         r" domain"
         r"|not (?:the )?same as (?:the )?(?:smtp )?auth"
         # the envelope sender must be the account that logged in (submission servers)
         r"|(?:mail from|sender|from)(?: address)? (?:\S+ )?(?:must|should|has to) (?:be (?:the )?"
         r"same as|match|equal) (?:the |your )?(?:smtp |login |logged[- ]in )?(?:auth\w*|login)"
         r"|(?:mail from|sender|from)(?: address)? (?:\S+ )?(?:does not|doesn't|did not) match"
         r" (?:the |your )?(?:smtp |login |logged[- ]in )?(?:auth\w* )?(?:user|login|account)"
         r"|(?:发件人|发信人|發件人)(?:地址)?(?:必须|须|應|应)(?:与|和|與)(?:登录|登陆|认证|登入)"
         r"|sender (?:address )?(?:is )?unauthori[sz]ed"
         r"|(?:permissions?|permitted|authori[sz]ed) to send as|(?:do not"
         r"|don't) believe (?:that )?you are"
         r"|not allowed to use this (?:e-?mail )?address|fqdn required (?:in|for) the envelope"
         r"|invalid bounce"
         r"|domain of sender address|unroutable sender|(?:invalid|unknown|bad|fake) sender"
         r"|(?:does not|doesn't|won't|will not) accept (?:e-?)?mail from (?:domains|senders"
         r"|hosts|servers)\b[^.;]{0,20}\b(?:whose|that|which|without)\b"
         r"|disposable (?:e-?mail |domain|address)|domain you do not own"
         r"|not allowed to send|send mail as|sender verif(?:y|ication) (?:failed|callout)"
         r"|(?:my|our) name was rejected|(?:helo|ehlo) (?:command )?rejected"
         r"|(?:invalid|bad|illegal) (?:helo|ehlo)|(?:helo|ehlo) (?:argument )?(?:not verified"
         r"|does not match)|(?:helo|ehlo)(?:/(?:helo|ehlo))? (?:argument |name |hostname |greeting "
         r"|domain )?"
         r"(?:is )?(?:invalid|not valid|bogus|forged)"
         r"|(?:helo|ehlo)(?:/(?:helo|ehlo))? (?:name|hostname|argument|host)\b[^.;]{0,40}"
         r"(?:invalid|not (?:fully qualified|allowed|valid|resolv)|can ?not (?:be )?resolv)"
         r"|(?:helo|ehlo)(?:/(?:helo|ehlo))? \S+ can ?not (?:be )?resolv"
         r"|(?:as|in) (?:helo|ehlo) argument|(?:helo|ehlo)\b[^.;]{0,30}(?:fqdn"
         r"|fully[- ]qualified)|i do not believe you are|you are not localhost"
         r"|required for sender address|mail ?from account|(?:empty|unparseable"
         r"|missing) from (?:address|header)"
         r"|(?:your|sender'?s?|sending) (?:e-?mail )?(?:account|mailbox)\b[^.;]{0,30}"
         r"(?:suspended|locked|disabled|blocked|deactivated|closed|deleted|terminated"
         r"|does not exist|doesn't exist|not found|unknown|invalid)"
         r"|account (?:you are|you're) (?:trying to )?send(?:ing)? from"
         r"|sending (?:is |has been )?(?:paused|suspended|disabled) for (?:this|your) account"
         r"|\"?from\"?:? (?:address|domain|header)\b[^.;]{0,30}(?:is )?(?:not valid|invalid"
         r"|rejected|not allowed|not verified|missing)|blank from|valid sender"
         r"|valid from\b|as a from|sending (?:for|from) (?:this|your) account"
         r"|sender account is disabled|mail sending denied|callout verification failure"
         r"|callback setup failed|postmaster verification failed|smtp_rejected_sender"
         r"|could not verify \"?from:?\"? header"
         r"|(?:unauthori[sz]ed|unverified) sender|unable to verify (?:the )?sender"
         r"|(?:not|isn't) accepting (?:messages|mail|e-?mails?) from your (?:e-?mail )?(?:system"
         r"|server)"
         r"|sender address\b[^.;]{0,40}\b(?:must|is not a valid|not valid|malformed|invalid"
         r"|does not exist|doesn't exist|not found|unknown|non-?existent|has (?:a )?null mx)"
         r"|sender'?s? (?:e-?mail )?address\b[^.;]{0,40}\b(?:isn't|is not) valid"
         r"|user has no permission\b(?! to receive)"
         r"|^[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3} )?domain (?:\S+ )?has no (?:dns|mx|a)\b"
         r"|(?:normalize|invalid|bad|malformed) (?:the )?(?:sender|from|mail from|envelope"
         r" sender) address|invalid address in from"
         r"|(?:return[- ]path|envelope[- ]sender|mail from|'?from'? header)(?: address)?"
         r"(?: domain)?\b[^.;:]{0,30}(?:does not exist|doesn't exist|not found|unknown"
         r"|not resolvable|invalid|has no mx)"
         r"|mail from (?!\d{1,3}(?:\.\d{1,3}){3}\b)\S+ (?:rejected"
         r"|refused|denied)"
         r"|your domain\b[^.;]{0,30}(?:has no mx|does not exist|doesn't exist|not found)"
         r"|(?:from|sending from) unregistered domains?|unresolvable (?:rfc\.?5321 )?(?:from"
         r"|sender|mail from) domain|identities failed the check|envelope sender mismatch"
         r"|invalid dns (?:mx|a)\b|\bcxdns\b|\bcxsndr\b"
         r"|\"?mail from\"? (?:\S+ )?(?:is )?(?:a )?non-?local"
         r"|\"?mail from\"? mailbox unavailable|(?:don't|do not|no) (?:have )?permission to send"
         r"|not permitted to send|(?:send|sending) (?:e-?mail |mail )?to yourself"
         r"|bounces? (?:are )?not accepted|bounce with (?:a )?non-empty return-path"
         r"|no (?:valid )?mx (?:records? )?for (?:your|the) (?:from|sender|envelope|mail from)"
         r"|(?:does not|doesn't) send (?:e-?)?mail|(?:does not"
         r"|doesn't) accept (?:e-?)?mail over ipv6"
         r"|over ipv6 (?:is )?not (?:accepted|allowed)"
         r"|domain of (?:smtp )?mail from (?:is )?(?:temporarily )?(?:disabled|blocked|suspended)"
         r"|(?:bounces?|null sender|empty sender)\b[^.;]{0,40}(?:one recipient|more than one"
         r" recipient)|multi-recipient bounce|address literal"
         r"|(?:sender|sending) domain (?:\S+ )?(?:does not exist|doesn't exist|not found"
         r"|not resolvable"
         r"|has no mx|must (?:exist|resolve)|does not have any mx)|sender'?s? domain (?:does not"
         r"|doesn't) exist"
         r"|(?<!recipient )(?<!recipient's )\b(?:from:? ?)?domain must (?:exist|resolve)"
         r"|invalid (?:return[- ]path|envelope[- ]sender)\b"
         r"|syntax error in (?:the )?(?:return|reverse)[- ]path"
         r"|not owned by (?:the )?(?:auth(?:enticated)? )?(?:user|account)"),
    rule("sender-rejected", 1999,
         r"(?:发件人|發件人|发信人|寄件者|送信者|差出人).{0,10}"
         r"(?:不存在|无效|無效|存在しません)"),
    rule("sender-rejected", 1999,
         r"absender-?(?:domain|dom[äa]ne)|(?:domaine?|dominio|dom[íi]nio|domein|domena|домен)\w* "
         r"(?:de l'|del |do |della |dell'|van de |des )?(?:exp[ée]diteur|remitente|remetente"
         r"|mittente|afzender|nadawcy|отправителя|absenders)"
         r"|absender\w* (?:\S+ )?(?:ist )?(?:abgelehnt|ung[üu]ltig|unbekannt|nicht erlaubt"
         r"|gesperrt|blockiert|existiert nicht|nicht vorhanden)|exp[ée]diteur\w* (?:\S+ )?"
         r"(?:est )?(?:refus[ée]|rejet[ée]|invalide|inconnu|non autoris[ée]|bloqu[ée]"
         r"|inexistant|n'existe pas)|remitente\w* (?:\S+ )?(?:rechazad"
         r"|no v[áa]lid|inv[áa]lid|desconocid|no autorizad|bloquead|inexistente|no existe)"
         r"|mittente\w* (?:\S+ )?(?:[èe] )?(?:rifiutat|non valid|sconosciut|non autorizzat"
         r"|bloccat|inesistente|non esiste)|remetente\w* (?:\S+ )?(?:rejeitad|recusad|inv[áa]lid"
         r"|desconhecid|n[ãa]o autorizad|bloquead|inexistente|n[ãa]o existe)"
         r"|afzender\w* (?:\S+ )?(?:is )?(?:geweigerd|ongeldig|onbekend|niet toegestaan"
         r"|geblokkeerd|bestaat niet)|nadawc\w* (?:\S+ )?(?:odrzucon|nieprawid|nieznan"
         r"|zablokowan|niedozwolon|nie istnieje)|отправител\w* (?:\S+ )?(?:отклон"
         r"|заблокирован|не найден|неверн|недопустим|запрещ|не существует)"),
    rule("sender-rejected", 1999,
         r"(?:发件人|發件人|发信人|寄件者).{0,10}(?:被拒|拒绝|拒絕|禁止|不允许|不允許)"
         r"|(?:送信者|差出人).{0,10}(?:拒否|拒絶|不正|無効)"),
    rule("sender-rejected", 1999,
         r"\[\d{1,3}(?:\.\d{1,3}){3}\]:? (?:is )?not a (?:valid )?fully[- ]qualified"),
    # Sending as, or on behalf of, another user or group that is not found or not permitted:
    # the sender's identity is refused (groupware spoolers such as Kopano's, Exchange).
    rule("sender-rejected", 1999,
         r"you (?:try|tried|are trying) to send (?:as|on behalf of)|send on behalf of"
         r"|in deren namen (?:der versand|gesendet|versendet)|im namen (?:von )?(?:\S+ ){0,3}"
         r"(?:zu )?(?:senden|versenden)|envoyer (?:\"?en tant que|au nom de)"
         r"|enviar (?:en nombre de|em nome de)|(?:tenta|tentando|intenta) enviar como"
         r"|no qual voc[êe] tenta enviar|per conto di cui si sta tentando di inviare"
         r"|inviare (?:e-?mail )?per conto di|(?:te )?verzenden namens|namens wie u"
         r"|jonka nimiss[äa] yrit[äa]t l[äa]hett[äa][äa]|(?:[áa]ll?tal|nev[ée]ben) pr[óo]b[áa]l\w*"
         r" k[üu]ldeni|du fors[øo]kte [åa] sende (?:med|som)|sende p[åa] vegne av"
         r"|s katero bi radi poslali|(?:[üu]ritate|proovite) saata kui"
         r"|jako kter\w* chcete odes[íi]lat|(?:odes[íi]lat|odeslat) (?:jako|jm[ée]nem)"
         r"|отправ\w* от имени|として送信|代理で送信|找不到(?:傳送|发送|發送)的(?:使用者|用户|用戶)"
         r"|(?:代表|以)\S{0,6}(?:身份|名义|名義)(?:发送|發送|傳送)|לשלוח (?:כמשתמש|בשם)"),
    # A mailing list refusing our post (seed 004's 4.7.2 row). Google Groups writes its notice
    # in the reader's language but always links its help centre, so the link marks the family.
    rule("list-post-denied", 1999,
         r"not a member of|you are not a member\b|permission to post|not allowed to post"
         r"|groups\.google\.com/support"
         r"|closed mailing list|not enough privilege|privilege not enough"
         r"|permission or security issue|only accepts? (?:e-?mail|messages) from certain senders"
         r"|not in (?:the )?allowed[- ]senders? list"
         r"|restricts who can send|mail flow rule|transport rule"
         r"|berechtigung,? nachrichten an diese gruppe|pas autoris[ée]e? [àa] envoyer des messages"
         r" [àa] ce groupe|no tiene permiso para enviar mensajes a este grupo"
         r"|autorizzazione per inviare messaggi a questo gruppo|(?:你|您)无权向此组发送"
         r"|(?:delivery to this address|this recipient) is restricted"
         r"|only accepts (?:messages|mail|e-?mail|posts) from"
         r"|restricted posting to|posting (?:is )?restricted to (?:members|subscribers)"
         r"|not (?:in|on) (?:the |their |his |her )?(?:recipient'?s? )?(?:contacts?|address book"
         r"|safe senders?)(?: list)?\b"),
    rule("list-post-denied", 1999, r"足够的权限|足夠的權限|送信権限"),
    # Refused at MAIL FROM, before any recipient was named: it cannot be about the address.
    rule("rejected-at-mail-from", 1999,
         r"(?:after|in reply to) mail from\b(?![^:]*: [^:]*timeout)|\[mail_from\]"),
    # A refusal at the greeting or HELO/EHLO, before any address was sent: the server refused
    # our host. A 5xx there is one whatever the words; a 4xx only when its reply says it
    # refuses or blocks us ("421 Service refused, try later"): a bare 4xx is more often load.
    rule("rejected-at-greeting", 1999, r"after (?:initial connection|(?:helo|ehlo)\b[^:]*): 5\d\d\b"
         r"|refused to talk to me: 5\d\d\b"
         r"|said: 5\d\d\b[^()]*\(in reply to (?:helo|ehlo) command\)"
         r"|(?:after (?:initial connection|(?:helo|ehlo)\b[^:]*)|refused to talk to me): 4\d\d\b"
         r"[^()]{0,160}?\b(?:refuse[ds]?|denied|rejected|blocked)\b"
         r"|said: 4\d\d\b[^()]{0,160}?\b(?:refuse[ds]?|denied|rejected|blocked)\b[^()]*"
         r"\(in reply to (?:helo|ehlo) command\)"),
    # "Client host rejected" with no other cause: the receiver refused our host (rubric 1002).
    # A server that is shutting down or restarting turns the session away (rubric 4001, a
    # server not available), whatever status it attaches (4.4.2, 4.3.0 and "try again later");
    # one that says it cut a session short "during" it is a session fault (4002) below.
    rule("server-shutting-down", 4001,
         r"(?:server|service|system|daemon|mailer) (?:is )?(?:shutting|going) down(?! during)"
         r"|shut ?down in progress|(?:server|service) (?:is )?restarting"),
    # An SMTP line over the server's limit (RFC 5321 4.5.3.1.4-6: a command line 512 octets,
    # a text line 1000) is a session fault, whatever status comes with it; a *message*,
    # body or header line too long, or the 998 limit of RFC 5322, is the message's form below.
    rule("protocol-error", 4002, r"improper use of smtp command pipelining"
         r"|(?<!header )(?<!message )(?<!body )(?<!text )\bline (?:is )?too long(?! for)"
         r"|too long (?:command |input )?line|\bcommand (?:line )?(?:is )?too long"),
    # A connection lost or timed out *during* the session is a session fault (rubric 4002), even
    # under 4.4.2, whose seed row reads it as a failure to connect.
    rule("protocol-error", 4002,
         r"lost connection with \S+ while|conversation with \S+ timed out while"
         r"|connected to \S+ but connection died|connection (?:dropped|reset) (?:by|due to|during)"
         r"|lost input channel"
         r"|timed out while (?:sending|receiving|performing)"
         r"|lost connection with \S+ (?:after|during)|connection was (?:reset|lost) (?:by|during"
         r"|while)|\bconnection (?:was )?dropped\b|network i/o error|\bio timeout\b"
         r"|timeout\W{1,4}closing (?:the )?connection"
         r"|communication with (?:the )?(?:remote |mail )?(?:server|host) failed"
         r"|error: timeout exceeded|\bidle timeout\b|session (?:idle )?timeout"
         r"|too many (?:unrecognized|unrecognised|unknown|invalid) commands"
         r"|http (?:requests?|commands?) (?:are )?not (?:allowed|accepted|supported)"
         r"|(?:read|write) error (?:from|to) [\w-]+\.[\w.-]*[a-z]|(?:read|write) error on (?:the )?"
         r"(?:connection|socket)|i/o error (?:on|during) (?:the )?(?:connection|session|socket"
         r"|smtp|data)"
         r"|超时\W{0,4}正在断开连接"
         # a client that sends wrong or too many commands, or a data line too long for the
         # server's buffer: a session fault, not a sending rate
         r"|too many (?:bad|wrong|erroneous|invalid|error) (?:smtp )?commands"
         r"|(?:excessive|too much|too many) (?:amounts? of )?data (?:was )?sent (?:to|without)"
         r"|(?:过多|過多)的?(?:错误|錯誤)?(?:指令|命令)|(?:错误|錯誤)的?(?:指令|命令)\S{0,2}(?:过多|過多)"
         r"|超出正常的?(?:指令|命令)(?:数量|數量)?"
         # a command out of sequence: STARTTLS again in a session already under TLS
         r"|already (?:in|using|under) tls\b|tls (?:is |has )?already (?:been )?(?:active|started"
         r"|negotiated|established|in use)|starttls (?:was )?already"),
    rule("client-host-rejected", 1002, r"client host (?:\S+ )?(?:rejected|refused|denied)"
         r"|(?:service|access|connection)s? (?:is )?(?:denied|refused) for (?:the |your )?(?:ip"
         r"|host|client|network)\b"
         r"|\b(?:host|network|ip)(?: address)?\b[^.;]{0,40}\bnot (?:allowed|permitted"
         r"|authori[sz]ed)\b|\binvalid ip\b|dial-?up/"),
    rule("spam-content", 1004,
         r"(?:as|is|be|likely|probably|suspected|detected|scored as|considered|deemed"
         r"|classified as|identified as|marked as|flagged as) (?:being |to be |as )?spam\b"
         r"|(?:identified|classified|detected|flagged|marked) as (?:bulk|junk)\b"
         r"|- spam\b|spam (?:detected|message|content|score|filter|suspected|rejected|mail"
         r"|like|denied|signature|classification|rejection)|rejected:? spam\b|\bspam reject\b"
         r"|\bspam\b[^.;]{0,30}\b(?:rejected"
         r"|refused"
         r"|blocked)\b|suspicion of spam|\bube\b|\buce\b"
         r"|suspicion de spam|sospecha de spam|sospetto (?:di )?spam|suspeita de spam"
         r"|(?:pelo|pela|por el|por la|dal|dalla|par l'|par le|door het|door de|przez|vom|von der)"
         r" (?:filtro |filtre |filter |filtr )?anti-?spam"
         r"|junk (?:mail|e-?mail)|bulk (?:mail|e-?mail)|unsolicited|phish"
         r"|(?:analysis|filter|engine|scanner) identified (?:it as |this as )?spam"
         r"|\bscam\b|spammy"
         r"|format restrictions? violat|(?:inappropriate|offensive|objectionable)"
         r" (?:words|content|language|material)"
         r"|bulk advertising|advertising (?:mail|e-?mail|message)|too many (?:urls|links)"
         r"|looked like (?:junk|spam)|looks like junk"
         r"|anti-?spam polic|pol[íi]tica anti-?spam|politique anti-?spam|antispam-richtlinie"
         r"|spamassassin|message content|content (?:rejected|reject|denied|blocked|not accepted"
         r"|restrictions?"
         r"|filter|policy"
         r"|violat)|(?:illegal|blocked|prohibited|forbidden|dangerous|banned|executable"
         r"|unacceptable|disallowed|not allowed|restricted) (?:attachment|file|mime|content"
         r"|extension|attach)|attachment type\b[^.;]{0,20}\b(?:not allowed|not permitted|blocked)"
         r"|file type (?:\(\S+\) )?(?:is )?(?:not allowed|not permitted|blocked|prohibited)"
         r"|attachments? (?:\S+ )?(?:is |are )?(?:not allowed|not permitted"
         r"|blocked"
         r"|prohibited|forbidden|rejected|banned)|suspicious (?:content|link|url|attachment)"
         r"|suspect(?:ed)? (?:content|link|url|attachment)|contenu (?:de |du )?(?:message )?suspect"
         r"|message (?:was )?filtered|(?:looks|look|looked) like spam"
         r"|probability of (?:being )?spam|spam probability|content presents"
         r"|security (?:issue|risk|threat)"
         r"|(?:forbidden|banned|prohibited|offensive) (?:words?|phrases?|terms?|keywords?|content)"
         r"|because of the content|(?:because of|due to) its content"
         r"|password[- ]protected (?:zip|archive|attachment|file)|encrypted (?:zip|archive"
         r"|attachment)"
         r"|mass mailing|too many images|too little text|url shortener"
         r"|spam hits|\bdspam\b|- banned\b|reject(?:ed)? by (?:behaviou?r|content) spam"
         r"|spamsignature|\bspam abuse\b"
         r"|\bspamm?ed by\b"
         r"|(?:per|by|under|violates?) (?:our |the )?spam policy|nature of the content"
         r"|(?:rejected|blocked|refused|prohibited|forbidden|banned) content"
         r"|(?:forbidden|prohibited|banned|disallowed|unacceptable) (?:html |active "
         r"|script )content"
         r"|unacceptable language|(?:denied|rejected|blocked) by \w+: spam\b"
         r"|(?:by|blocked by|rejected by) (?:the |our )?(?:[a-z]+ )?anti-?spam"
         r"|(?:due to|because of) (?:suspected |possible |likely )?spam\b|scored too high"
         r"|score (?:is )?too high|bayes(?:ian)? (?:filter|score|classifier)|fraudulent"
         r"|(?:contains?|containing) (?:an? )?executable"
         r"|(?:quarantined|filtered|blocked|rejected|refused)\s*/\s*(?:spam|junk|bulk)\b"
         r"|\b(?:spam|junk|bulk)\s*/\s*(?:quarantined|filtered|blocked|rejected)\b"
         r"|quarantined (?:as|for) (?:suspected |possible )?(?:spam|junk|bulk)\b"
         r"|(?:rejected|blocked|refused|quarantined) (?:by|due to|because of) (?:our |the )?"
         r"(?:content|e-?mail|mail) (?:filter|protection|scanner|security)"),
    rule("spam-content", 1004,
         r"спам|垃圾邮件|垃圾郵件|迷惑メール|スパム|ind[ée]sirable|pourriel|correo no deseado"
         r"|spam-?verdacht|spam (?:eingestuft|erkannt)|(?:als|comme|como|come|jako) (?:du )?spam\b"
         r"|consid[ée]r[ée]e? comme (?:du )?spam|considerad[oa] (?:como )?spam"
         r"|considerat[oa] (?:come )?spam|por ser spam|스팸"
         r"|inhalt\w* (?:\S+ )?(?:abgelehnt|unzul[äa]ssig|nicht erlaubt)|contenu (?:\S+ )?"
         r"(?:refus|interdit|non autoris)|contenido (?:\S+ )?(?:rechazad|prohibid|no permitid)"
         r"|contenuto (?:\S+ )?(?:rifiutat|vietat|non consentit)|conte[úu]do (?:\S+ )?"
         r"(?:rejeitad|proibid|n[ãa]o permitid)|inhoud (?:\S+ )?(?:geweigerd|niet toegestaan)"
         r"|tre[śs][ćc]\w* (?:\S+ )?(?:odrzucon|niedozwolon|zabronion)|содержим\w* (?:\S+ )?"
         r"(?:отклон|запрещ|недопустим)|内容(?:违规|违法|不合法|被拒|非法)|反垃圾|广告邮件"
         r"|不審なメール|不適切な(?:内容|メール)"
         r"|enth[äa]lt spam|spam enthalten|(?:ist|wurde als) spam\b|posta indesiderata"
         r"|unerw[üu]nschte (?:werbung|e-?mail|nachricht|post)|niechcian\w* (?:poczt|wiadomo)"
         r"|нежелательн\w* (?:почт|письм|сообщени)"
         r"|messaggio indesiderato|\b(?:[èe]|come) spam\b|(?:uznan\w*|oznaczon\w*) (?:jako "
         r"|za )spam"
         r"|\bza spam\b|\bjako spam\b|\b(?:es|como|por) spam\b|correo (?:no deseado|basura)"
         r"|\b(?:[ée]|como) spam\b|lixo eletr[ôo]nico|mensagem indesejada|\bals spam\b"
         r"|\bis spam\b|spam (?:scale|rating|points?)\b"
         r"|ongewenste? (?:e-?mail|bericht)|\bcomme (?:du )?spam\b|\best (?:du )?spam\b"
         r"|spamfilter|anti-?spam\w* filt|antyspam|filtr\w* anti-?spam|outbreak filter"
         r"|contains? (?:possible |suspected |likely )?spam\b|spam olarak"
         r"|(?:contener|contenir|contiene|cont[ée]m|bevat|wegens|wegen|vanwege|pour|per"
         r"|because of|for) spam\b|may consider spam|consider(?:ed)? (?:it )?spam\b"),
    rule("spam-content", 1004,
         r"(?:correo|e-?mail|mensaje|mail|courriel|messaggio|mensagem|commercial[e]?)\b[^.;]{0,25}"
         r"\b(?:no solicitad|non sollicit|non richiest|n[ãa]o solicitad|no requerid)"
         r"|nem k[íi]v[áa]nt (?:\S+ )?(?:[üu]zenet|lev[ée]l|rekl[áa]m)"
         r"|nevy[žz]i?[áa]dan\w* (?:\S+ )?(?:po[šs]t|spr[áa]v|e-?mail)|skr[äa]ppost|spam-?skydd"
         r"|ongewenste? \(?commerci[eë]le\)? (?:e-?mail|bericht)|rejei[çc][ãa]o de spam"
         r"|rechazo de spam|rejet de spam"),
    # A policy the message broke, named as such ("MailPolicy violation"): the message or its
    # sender, not the address (rubric 1999), whatever status came with it.
    rule("policy-violation", 1999,
         r"polic(?:y|ies) violation|violat\w* (?:of )?(?:our |the |local |site )?(?:[\w-]+ )?polic"
         r"|will not accept (?:delivery of )?this (?:message|e-?mail)"
         r"|rejected by (?:the )?(?:recipient'?s? )?firewall"
         r"|naruszenie (?:zasad|polityki)|violaci[óo]n de (?:la )?pol[íi]tica"
         r"|administratively (?:denied|prohibited|rejected)"
         r"|tegengehouden door (?:het )?(?:\S+ )?beleid|(?:geweigerd|geblokkeerd) (?:op grond van"
         r"|vanwege|door) (?:het )?(?:\S+ )?beleid"),
    # A recipient address that does not conform to the RFC's syntax is the address's own
    # syntax (2003), before the message-form row below takes "does not conform to RFC". So is a
    # syntax error in the recipient's path (RFC 5321's forward-path) or in the RCPT command's
    # argument: our side writes the command, the address it carries is what fails to parse.
    # Before the status rows (5.5.2, 5.5.4 "bad arguments": a session fault) and the symptom
    # "syntax error"; the sender's path (return path, "Invalid FROM:") is a sender row above.
    rule("bad-syntax", 2003,
         r"(?:recipient|rcpt to:?) address\b[^.;]{0,20}(?:(?:does not|doesn't) conform"
         r"|not conform\w*|non-?complian\w*|not compliant) (?:with |to )?(?:the )?rfc"
         r"|syntax error in (?:the )?(?:forward|recipient|rcpt)[- ]path"
         r"|(?:forward|recipient)[- ]path (?:\S+ )?(?:syntax error|is (?:invalid|malformed))"
         r"|\brcpt(?: to)?:? (?:command |address |argument )?syntax error"
         r"|syntax error in (?:the )?rcpt(?: to)?:?(?: command| address| argument)?\b"
         r"|(?:invalid|unacceptable|bad) (?:to|rcpt(?: to)?) ?:[^.;]{0,40}\bpath\b"),
    # The message's form: RFC conformance, 8-bit data or non-ASCII addresses the path cannot
    # carry, bare line ends, header limits.
    rule("not-rfc-compliant", 1999,
         r"not rfc ?\d* ?compliant|(?:violat\w*|non-?complian\w*|not (?:comply|conform)\w*)"
         r" (?:with |to )?rfc|multiple from (?:addresses|headers)|multiple (?:addresses in from"
         r"|\w+ headers)|8-?bit data in (?:message )?header|header error"
         r"|(?:duplicate|malformed|invalid|missing) (?:\S+ )?header|headers? (?:line )?"
         r"(?:is )?(?:too large|too long)|header (?:value|size)[^.;]{0,60}exceeds"
         r"|bare (?:lf|linefeed|line feed|cr)|smtputf8|8bitmime|unicode e-?mail"
         r"|8-?bit data to (?:a )?7-?bit"
         r"|conformance|line_too_long|(?:message|body|text) lines? (?:is |are )?too long"
         r"|partial final lines"
         r"|binary zero|message is malformed|(?:maximum )?line length (?:exceeded|too long)"
         r"|max(?:imum)? line length (?:is|of)\b"
         r"|header checks?\b|does not accept e-?mail in non-|no (?:from|date|message-id) header"
         r"|required header\b|only one \w+ header allowed|date header is too (?:far|old)"
         r"|headers? contains? invalid characters|date is in the future"
         r"|too many addresses in (?:to|cc)"
         r"|missing (?:date|message-id)"
         r"|date is too far in the (?:past|future)|invalid mime|malformed mime|mime (?:error"
         r"|violation)"
         r"|barelinefeed"),
    rule("not-rfc-compliant", 1999,
         r"header (?:value|field|line)s? (?:\S+ )?(?:is )?(?:not allowed|rejected|refused"
         r"|forbidden|prohibited|invalid)"),
    rule("relaying-denied", 4006,
         r"relay(?:ing)? nicht (?:erlaubt|gestattet)|relais non autoris[ée]|relay no permitido"
         r"|relay non (?:consentito|permesso)|relay n[ãa]o permitido"
         r"|relay(?:en)? (?:is )?niet toegestaan"
         r"|relay (?:negado|recusado|rechazado|denegado|refus[ée]|geweigerd|verweigert|rifiutato)"
         r"|reenv[íi]o no (?:permitido|autorizado)|ретрансляц\w* не разреш"
         r"|リレー(?:は)?(?:許可されていません|拒否|できません)"
         r"|relay(?:ing)? (?:zabroniony|niedozwolony)|ретрансляц\w* запрещ"
         r"|不允许转发|中継.{0,4}拒否|(?:拒绝|禁止|不允许)中继|中继(?:被拒|拒绝)"
         r"|n'accepte pas de relayer|n[ãa]o permite (?:o )?relay|中継(?:が|は)許可されていません"
         r"|inoltro (?:\(relay\) )?(?:\S+ ){0,2}non (?:consentito|permesso|autorizzato)"
         r"|doorsturen (?:\(relay\) )?(?:\S+ ){0,4}niet (?:toegestaan|toegelaten)"
         r"|przekazywanie poczty (?:\S+ ){0,4}(?:zabronione|niedozwolone)"
         r"|пересылка (?:почты )?через (?:этот|наш|данный) сервер (?:\S+ )?запрещена"
         r"|relais (?:\S+ )?(?:interdit|refus[ée]|non permis)|relay(?:ing)? (?:\S+ )?(?:verboten"
         r"|abgelehnt|nicht zul[äa]ssig)|retransmisi[óo]n (?:\S+ )?(?:denegada|no permitida)"
         r"|inoltro non (?:consentito|permesso|autorizzato)"
         r"|retransmiss[ãa]o (?:\S+ )?(?:negada|n[ãa]o permitida|recusada)"
         r"|nessun relay|non (?:[èe] )?(?:consentito|permesso|autorizzato) (?:il )?relay"
         r"|no (?:se )?permite (?:el )?(?:relay|reenv[íi]o)|relay no (?:autorizado|permitido)"
         r"|n[ãa]o (?:[ée] )?permitido (?:o )?relay|relay n[ãa]o autorizado|pas de relais"
         r"|kein relay|geen relay|relay(?:ing)? (?:is )?niet (?:toegestaan|toegelaten)"
         r"|relay(?:owanie)? (?:jest )?(?:zabronion|niedozwolon)"
         r"|рел[еэ]\w* (?:\S+ )?(?:запрещ|не разреш|не допуска)|(?:запрещ|не разреш)\w* рел[еэ]"
         r"|(?:mailing|sending|delivery|delivering|mail) to (?:remote|external|non-?local|foreign"
         r"|other) domains? (?:is )?(?:not (?:supported|allowed|permitted)|disabled|denied"
         r"|prohibited|forbidden)|(?:isn't"
         r"|is not) an? \S+ (?:e-?mail )?protected domain"
         r"|delivery (?:is )?not allowed to this address"
         r"|relay(?:ing)? (?:is )?not (?:supported"
         r"|available)"
         r"|\(relay(?:ing)?\)\s*(?:\S+\s+){0,2}(?:nicht (?:erlaubt|gestattet|zul[äa]ssig)|запрещ"
         r"|не разреш|zabronion|niedozwolon|interdit|refus|non (?:consentit|permess|autorizzat)"
         r"|no (?:permitid|autorizad)|n[ãa]o (?:permitid|autorizad)|niet toegestaan)"),
    # "File too large" is the mailbox file hitting its size limit (EFBIG): Postfix's local and
    # virtual delivery give it 5.2.2, as they give a disk quota. Mailbox sizes come before the
    # message-size row, which otherwise reads "mailbox size limit" as a large message.
    rule("mailbox-full", 3001,
         r"(?:mail ?box|inbox|mail ?folder|folder|maildir|mail ?drop|mail ?file)(?: is"
         r"| has become)?"
         r" full|mail ?file (?:\S+ )?(?:has )?reached its maximum|メールボックスがいっぱい"
         r"|(?:mail ?box|inbox)\b[^.;]{0,40}\b(?:is|was|has become) (?:now |currently )?full\b"
         r"|over-quota|exceeded (?:their |his |her |its |the )?mailbox (?:limit|size|quota"
         r"|storage)|(?:over|exceeded|exceeds|exceeding|above)(?: (?:the|its|their|his|her|your"
         r"|storage|disk|mailbox))? ?quota|quota (?:has been |was )?(?:exceeded|full|reached)"
         r"|storage quota|out of storage|(?:mail ?box|maildir) (?:has )?exceed"
         r"|(?:diskspace|disk space) quota|maildir has overdrawn|storage (?:space )?(?:is )?used up"
         r"|(?:mail ?box|inbox|mail ?folder)\b(?:[^.;:]|\.(?=\S)){0,40}?\b(?:has )?exceed\w*"
         r" (?:the |its )?(?:maximum|max|allowed|permitted) (?:size|storage|space)"
         r"|cannot hold (?:any )?more (?:messages|mail|e-?mails?)"
         r"|mailbox (?:size|storage|space) (?:limit|exceeded|quota)"
         r"|exceeded (?:its |the |his |her |their )?storage allocation"
         r"|exceeds? (?:the )?(?:allowed|maximum) mailbox size|(?:mailbox|user) full"
         r"|mailbox for user is full|not enough (?:storage|space|disk space) (?:in|for|on)"
         r"|insufficient (?:storage|disk space|space) (?:in|for|on) (?:the )?(?:user|mailbox"
         r"|recipient|account)|file too large|(?:user|recipient|account|mailbox) (?:is )?over"
         r" (?:the |its |their )?(?:quota|limit|storage)|disk quota|storage (?:is )?full"
         r"|over (?:the )?(?:storage|allowed) (?:limit|size)"
         r"|quota exceed(?:ed)? (?:the )?hard limit"
         r"|(?:mail ?box|inbox|storage|disk|user) quota (?:limit )?(?:has been |was |is )?"
         r"(?:exceeded|reached)"
         r"|(?:mail ?box )?space not enough|\ba full (?:mail ?box|inbox)\b"),
    rule("mailbox-full", 3001,
         r"(?:exceeded|reached) (?:its|their|his|her|the mailbox'?s?) storage limit"
         r"|(?:account|mailbox|inbox|recipient|user)(?:'?s)? storage limit"
         r"|(?:mail ?box|inbox)(?: size| storage)? limit (?:has been |was |is )?"
         r"(?:exceeded|reached)"
         r"|(?:mail ?box|inbox)\b[^.;:]{0,40}\b(?:has )?reached (?:its |the |their )?(?:maximum"
         r" (?:size|capacity|storage)|max (?:size|capacity)|(?:size|storage) limit|capacity)"
         r"|storage limit (?:has been )?(?:exceeded|reached)|speicherlimit|speichervolumen"
         r"|(?:exhausted|exceeded) (?:the |its |their )?(?:allowed )?storage"),
    rule("mailbox-full", 3001,
         r"postfach (?:ist )?(?:voll|überfüllt)|speicherplatz|quota (?:überschritten"
         r"|ueberschritten|d[ée]pass[ée]e?|superata|excedid[ao])|bo[iî]te (?:aux lettres |mail )?"
         r"(?:est )?pleine|espace (?:disque )?insuffisant|buz[óo]n (?:est[áa] )?llen[oa]"
         r"|bo[iî]te\b[^.;]{0,40}\bpleine|buz[óo]n\b[^.;]{0,40}\blleno"
         r"|(?:buz[óo]n|casella|caixa|bo[iî]te|postfach)\b[^.;]{0,40}(?:superad|excedid|superat"
         r"|d[ée]pass|[üu]berschritten)"
         r"|cuota (?:excedida|superada)|casella (?:di posta )?(?:[èe] )?piena"
         r"|cuota del buz[óo]n|(?:excedido|superado) (?:la |su )?cuota|speicherkontingent"
         r"|kontingent (?:\S+ )?[üu]berschritten|quotum (?:\S+ ){0,4}overschreden"
         r"|limit miejsca|配额(?:已满|已用完|不足)|邮箱配额"
         r"|casella\b[^.;]{0,40}\bpiena|cassetta postale\b[^.;]{0,40}\bpiena"
         r"|postfach\b[^.;]{0,40}\b(?:voll|überfüllt|übervoll)\b"
         r"|(?:邮箱|信箱|郵箱|空间|容量)(?:空间|容量)?(?:已满|已滿|不足)"
         r"|(?:mailbox|briefkasten) (?:ist )?voll\b|postkassen er ful[dl]\b|brevl[åa]dan [äa]r full"
         r"|(?:mail ?box|inbox|account)\b[^.;]{0,30}\b(?:has )?(?:insufficient|not enough"
         r"|no(?: more)?(?: free)?) (?:storage|space|disk space)|bo[iî]te\b[^.;]{0,40}satur[ée]e"
         r"|no tiene espacio|sem espa[çc]o|non ha spazio|yeterli alan yok"
         r"|postkasse\w* (?:\S+ ){0,2}(?:er )?ful[dl]\b|переповнен"
         r"|(?:postvak|mailbox|brievenbus|postbus)\b[^.;]{0,40}\bvol is\b"
         r"|postilaatikko on t[äa]ynn[äa]|용량(?:이)? 초과|메일함.{0,10}(?:가득|초과)"
         r"|hộp thư (?:\S+ ){0,3}(?:đã )?đầy|kotak (?:surat|masuk) (?:\S+ )?penuh"
         r"|صندوق البريد (?:\S+ )?ممتلئ|תיבת (?:ה)?דואר (?:\S+ )?מלאה"
         r"|sandu[čc]i[ćc] (?:\S+ )?(?:je )?pun\b"
         r"|pretinac (?:\S+ )?(?:je )?pun\b|кутия (?:\S+ )?(?:\u0435 )?пълна"
         r"|b[úu]stia (?:\S+ )?(?:és |est[àa] )?"
         r"plena"
         r"|spazio (?:su disco )?insufficiente|caixa (?:postal|de correio|de entrada)\b"
         r"[^.;]{0,40}\bcheia|cota (?:excedida|ultrapassada)|(?:postvak|mailbox|brievenbus)"
         r" (?:is )?vol\b|(?:postvak|mailbox|brievenbus|postbus)\b[^.;]{0,40}\b(?:is|zit) vol\b"
         r"|skrzynk\w*\b[^.;]{0,40}(?:\bpe[łl]n|przekroczy)|posta kutusu (?:\S+ )?dolu"
         r"|schr[áa]nk\w* (?:\S+ )?(?:je )?pln[áa]|postafi[óo]k\w* (?:\S+ )?megtelt"
         r"|c[ăa]su[țţt]\w* (?:\S+ ){0,3}(?:este )?plin[ăa]"
         r"|brevl[åa]d\w* (?:\S+ )?(?:[äa]r )?full\b|(?:メールボックス|容量)\S{0,10}いっぱい"),
    rule("mailbox-full", 3001,
         r"skrzynk\w* (?:pocztow\w* )?(?:jest )?pe[łl]n|przekroczon\w* (?:limit|rozmiar|pojemno)"
         r"|ящик\w* (?:\w+ )?переполнен|переполнен|ящик\w* (?:\S+ )?заполнен"
         r"|превышен\w* (?:квот|лимит|размер)(?!\w* (?:сообщени|письм))"
         r"|недостаточно места|邮箱已满|信箱已满|空间不足|容量不足|邮箱容量|郵箱已滿|信箱已滿"
         r"|容量超|容量を超|一杯|満杯|容量オーバー|容量制限|容量(?:が|の)?上限"),
    rule("mailbox-full", 3001,
         r"espace de stockage (?:\S+ ){0,6}[ée]puis[ée]"
         r"|quota (?:de (?:la |sa |votre )?bo[iî]te|du destinataire|de (?:la )?messagerie"
         r"|de stockage)[^.;]{0,50}\b(?:atteint|d[ée]pass)"
         r"|(?:cuota|cota|quota) (?:del?|da|della) (?:buz[óo]n|caixa|casella)"
         r"[^.;]{0,50}\b(?:alcanzad|atingid|raggiunt|superad|esgotad)"
         r"|spazio\b[^.;]{0,20}\besaurit\w*\b[^.;]{0,20}\bcasella"
         r"|(?:disk |storage )?space (?:exhausted|used up) (?:for|in|on) (?:the )?(?:mailbox|inbox"
         r"|recipient)|caixa (?:postal|de correio|de entrada)\b"
         r"[^.;]{0,40}\blotad[ao]|casella\b[^.;]{0,40}\besaurit\w* (?:lo )?spazio"
         r"|(?:mailbox|postvak|brievenbus)\b[^.;]{0,40}\bgeen (?:opslag)?(?:ruimte|plaats) meer"
         r"|brak (?:wolnego )?miejsca w skrzynce|ящик\w*(?: \S+){0,2} (?:закончилось|кончилось"
         r"|не осталось) (?:свободного )?мест|(?:邮箱|信箱|郵箱)(?:空间|空間|容量)不(?:够|足|夠)"),
    rule("message-too-big", 1999,
         r"message (?:size |length )?(?:exceeds|too (?:big|large|long)|is too (?:big|large|long))"
         r"|(?<!mailbox )(?<!storage )size (?:exceeds|limit)|message length exceeds"
         r"|line (?:length )?limit exceeded|(?<!file )too large|(?<!queue size )too big"
         r"|content[- ]too[- ]long|size[- ]constraint[- ]violation"
         r"|exceeds (?:the )?(?:maximum|max|fixed|allowed) (?:message )?size"
         r"|(?:bigger|larger) than (?:the )?(?:recipient'?s? )?(?:system|server|maximum|limit)"
         r"|(?:mail|messages?|e-?mails?) (?:larger|bigger) than \d"
         r"|exceed\w* (?:the )?max(?:imum)? (?:message )?size|(?:number of|too many) attachments"
         r"|max(?:imum)? message size (?:exceeded|reached)"
         r"|attachments? (?:size|too (?:large|big))"
         r"|(?:nachricht|e-?mail) (?:ist )?zu gro(?:ß|ss)|message (?:est )?trop (?:volumineux|gros)"
         r"|taille du message|mensaje (?:es )?demasiado grande|tama[ñn]o del mensaje"
         r"|messaggio troppo grande|dimensione del messaggio"
         r"|mensagem (?:muito|demasiado) grande|tamanho da mensagem"
         r"|bericht (?:is )?te groot|wiadomo\w* (?:jest )?(?:zbyt|za) du[żz]"
         r"|(?:сообщение|письмо) слишком больш|размер (?:сообщения|письма)|邮件(?:大小|尺寸)"
         r"|メールサイズ"),
    rule("message-too-big", 1999, r"邮件过大|郵件過大|邮件太大|サイズが大き|サイズ超過"
         r"|メッセージ(?:の)?サイズ"
         # "Message of 31457280 bytes exceeds the ... limit"
         r"|(?:message|mail|e-?mail) (?:of|is) \d+ ?(?:bytes?|kb|mb)\b[^.;]{0,10}\bexceed"
         # it "supera la dimensione massima", es pt fr de nl
         r"|supera la dimensione massima|(?:excede|supera) el tama[ñn]o m[áa]ximo"
         r"|(?:ultrapassa|excede) o tamanho m[áa]ximo|d[ée]passe la taille maximale"
         r"|[üu]berschreitet die maximale gr[öo](?:ß|ss)e|overschrijdt de maximale grootte"),
    rule("message-too-big", 1999,
         r"(?:missatge|fitxer adjunt|adjunto|allegato|anexo|bijlage|anhang|pi[èe]ce jointe"
         r"|za[łl][ąa]cznik|p[řr][íi]loh\w*|mell[ée]klet|bilaga|vedh[æe]ft\w*|вложени\w*)\b"
         r"[^.;]{0,40}\b(?:massa gran|demasiado grande|troppo grand|muito grande|te groot"
         r"|zu gro(?:ß|ss)|trop (?:volumineu|gros)|zbyt du[żz]|za du[żz]|p[řr][íi]li[šs] velk"
         r"|t[úu]l nagy|f[öo]r stor|for stor|слишком больш)"),
    rule("too-many-recipients", 1999,
         r"too many (?:recipients|rcpt)|recipient (?:count |number )?limit"
         r"|max(?:imum)? (?:number of )?recipients|number of rcpts|per transaction exceeded"
         r"|max(?:imum)? of \d+ recipients|only one recipient allowed"
         r"|too many (?:people|recipients|addresses) at once"
         r"|zu viele empf[äa]nger|trop de destinataires|demasiados destinatarios"
         r"|troppi destinatari|muitos destinat[áa]rios|te veel ontvangers"
         r"|zbyt wielu (?:odbiorc|adresat)|слишком много (?:получателей|адресатов)"
         r"|收件人(?:数|数量|數量)?(?:过多|過多|超过|超出|超過)|宛先(?:数)?が多すぎ"),
    # The recipient's mail store failing under the delivery agent (qmail-local's "Unable to
    # chdir to maildir. (#4.2.1)", a read-only or unwritable maildir): a local fault (4999),
    # whatever x.2.x status the agent attaches; after the quota rows, which name a full store.
    rule("mailbox-store-fault", 4999,
         r"unable to (?:chdir|switch) to (?:the )?(?:maildir|mailbox|home|/)"
         # the server could not write the message to its disk: its store, not the session
         # ("error writing" alone is a protocol symptom below)
         r"|disk write (?:error|failure)"
         r"|writ(?:e|ing) (?:the )?(?:message|file|data|queue file) to (?:the )?disk"
         r"|(?:temporary )?error (?:on|during|in) (?:the )?(?:maildir|mbox|mail ?box|local)"
         r" delivery"
         r"|create maildir file|unable to open mailbox file"
         r"|(?:can'?t|cannot|could ?n[o']t) create (?:\(?user\)? )?output\b"
         r"|read-only file system"
         r"|unable to open (?:the )?mail (?:database|file)"
         r"|can'?t create (?:the )?(?:user )?(?:spool )?mailbox file|into (?:a )?non-regular file"
         r"|(?:corrupt(?:ed)?|damaged) (?:queue|spool) file|mail to (?:programs?|files?|pipes?)"
         r" (?:is )?(?:disallowed|not allowed|not permitted)"
         r"|(?:could not|couldn't|unable to|failed to) (?:save|store) (?:the |your )?(?:e-?mail"
         r"|message)|\bstorage (?:failed|failure)\b|backend (?:is )?not running"
         r"|(?:wait(?:ing)?|timeout) (?:for|on) (?:the |a )?(?:mailbox )?lock\b"
         r"|lock (?:is )?held by"
         r"|(?:locked|in use) by another (?:process|session|program|user)"
         r"|(?:could not|couldn't|unable to|failed to) (?:get|obtain|acquire) (?:a |the )?"
         r"(?:mailbox )?lock\b|mailbox lock (?:timeout|timed out|failed)"
         r"|(?:mail ?box|maildir|mail ?file|spool) (?:file )?write (?:failure|failed|error)"
         r"|(?:cannot|can't|unable to|failed to) update (?:the )?mailbox\b"),
    # "No longer ..." and "moved" say it of the address only when the address (or a person)
    # is their subject: a service, server or domain "no longer available" is not a closed
    # mailbox; a person "no longer works here / at / for" them, a gateway "no longer works".
    rule("closed", 2004,
         r"no longer (?:employed|works? (?:here|at|for)|working (?:here|at|for)"
         r"|with (?:us|the company|our|this))"
         r"|(?:has )?left (?:the|our|this) (?:company|organi[sz]ation|firm)"
         r"|(?:" + _ANY_PART + r"|inbox|e-?mail)\b(?:[^.;:]|\.(?=\S)){0,60}?\bno longer"
         r" (?:on|at|with|valid"
         r"|in use|in service|exists?|available|active|accepts? (?:e-?)?mail"
         r"|receives? (?:e-?)?mail)"
         r"|(?:user|recipient|mailbox|account|addressee|person)\b(?:[^.;:]|\.(?=\S)){0,50}?"
         r"\bhas moved"
         r"|moved to (?:a )?new (?:address|e-?mail|mailbox)|not our (?:user|customer)"
         r"|(?:mailbox|account|address|inbox)\b[^.;:]{0,50}?\b(?:has been|was|is) permanently"
         r" (?:removed|deleted|closed)"
         r"|(?<!sender )(?<!ip )(?:e-?mail )?address (?:is )?not in use\b"
         r"|user not local|" + _ANY_PART + r"\b[^;:]{0,30}?\b(?:is |has been |was )?"
         r"(?<!connection )(?<!session )(?<!channel )(?<!password )(?<!certificate )"
         r"(?<!office )(?<!office is )"
         r"(?:closed|terminated|deleted|removed|cancell?ed|expired|retired|shut down"
         r"|de-?provisioned|decommissioned|purged)\b"
         r"|(?:closed|terminated|deleted|removed|cancell?ed|expired|de-?provisioned"
         r"|decommissioned|purged) " + _ANY_PART
         + r"|(?:e-?mail )?(?:address|mailbox|inbox)\b[^.;:]{0,40}?\b(?:does not|doesn't|cannot"
         r"|can't|will not|won't|is not able to|isn't able to) (?:receive|accept)"
         r" (?:any |incoming )?(?:e-?)?mails?(?:\s+(?:at all|anymore|any more))?\s*(?:$|[.;,!)(])"),
    rule("closed", 2004,
         r"(?<!votre )(?:compte|adresse|bo[iî]te)\b[^.;]{0,45}(?:supprim[ée]|ferm[ée]e?\b"
         r"|r[ée]sili[ée]|expir[ée])|(?<!su )(?<!tu )(?:cuenta|direcci[óo]n|buz[óo]n|usuario)\b"
         r"[^.;]{0,30}(?:eliminad|borrad|cancelad|dad[ao] de baja|caducad|expirad)"
         r"|(?<!sua )(?:conta|endere[çc]o|caixa)\b"
         r"[^.;]{0,30}(?:exclu[íi]d|removid|encerrad|cancelad|apagad|expirad|expirou)"
         r"|(?<!tuo )(?<!vostro )(?:account|casella|indirizzo|utenza)\b[^.;]{0,30}"
         r"(?:eliminat|cancellat|rimoss|chius[oa]\b|scadut)|(?<!ihr )(?<!ihre )(?:konto|postfach"
         r"|adresse|empf[äa]ngerkonto|benutzerkonto)\b[^.;]{0,30}(?:gel[öo]scht|aufgel[öo]st"
         r"|gek[üu]ndigt|abgelaufen)"
         r"|(?:account|mailbox|postvak|adres)\b[^.;]{0,30}(?:verwijderd|opgeheven)"
         r"|(?:konto|skrzynk|adres)\w*\b[^.;]{0,30}(?:usuni[ęe]t|zamkni[ęe]t)"
         r"|(?:аккаунт|ящик|учетн|учётн|адрес)\w*\b[^.;]{0,30}(?:удал[её]н|закрыт)"
         r"|(?:schr[áa]nk|[úu][čc]et|adres)\w*\b[^.;]{0,30}(?:zru[šs]en|smaz[áa]n|odstran[ěe]n)"
         r"|hesab(?![\u0131i]n[\u0131i]z)\w* (?:\S+ )?(?:kapat[\u0131i]lm[\u0131i][şs]"
         r"|kapat[\u0131i]ld[\u0131i]|silinmi[şs]|silindi)"),
    rule("closed", 2004,
         r"n'accepte plus (?:de |les )?(?:messages|courriers?|e-?mails?)|ya no acepta (?:mensajes"
         r"|correos?)|non accetta pi[uù] (?:messaggi|e-?mail|posta)|n[ãa]o aceita mais (?:mensagens"
         r"|e-?mails?)|nimmt keine (?:nachrichten|e-?mails?|mails?) mehr an"
         r"|accepteert geen (?:berichten|e-?mails?) meer"
         r"|niet meer in dienst|(?:ist|sind) nicht mehr (?:\S+ ){0,3}(?:t[äa]tig|besch[äa]ftigt)"
         r"|ne (?:travaille|fait) plus (?:partie )?(?:chez|pour|de|au sein|dans)"
         r"|ya no (?:trabaja|forma parte) (?:en|con|para|de)"
         r"|(?:j[áa] n[ãa]o trabalha|n[ãa]o trabalha mais|j[áa] n[ãa]o faz parte)"
         r"|non lavora pi[uù]|non fa pi[uù] parte|nie pracuje ju[żz]|ju[żz] nie pracuje"
         r"|больше не работает|已离职|已離職|退職(?:しました|いたしました|済み)"),
    rule("closed", 2004,
         r"(?:account|user|utente|mailbox|casella|konto|compte|cuenta|conta|utenza|benutzer"
         r"|usuario|usu[áa]rio|address|indirizzo)\w*\b[^.;]{0,30}?(?:inattiv\w*|inactive?"
         r"|inaktiv\w*"
         r"|inactif|inactiv[ao]|inativ[ao]) (?:da |for |seit |depuis |desde "
         r"|h[áa] )?(?:troppo tempo"
         r"|too long|a long time|longtemps|mucho tiempo|muito tempo|langer zeit)"),
    # An address closed for non-use (rubric 2004): it was abandoned, its owner never logged
    # on, or it was deleted or closed because nobody used it, in the languages such notices
    # come in. Only closing words: an account disabled or suspended for inactivity is a
    # reversible state (3002), a session closed after inactivity a timeout.
    rule("closed", 2004,
         r"(?<!you )(?<!you have )(?<!you've )never (?:logged|signed) (?:on|in)(?:to)?\b"
         r"|(?:account|mailbox|inbox)\b[^.;:]{0,30}?\b(?:is |has been |was )?abandoned"
         r"|\babandoned (?:e-?mail )?(?:account|mailbox|address|inbox)"
         r"|(?<!your )(?:account|mailbox|address|inbox)\b[^.;:]{0,30}?\b(?:closed|deleted|removed"
         r"|terminated|cancell?ed|purged) (?:\S+ ){0,2}(?:due to|because of|for|after)"
         r" (?:\S+ ){0,2}(?:inactivity|non-?use|disuse|lack of use|not being used)\b"
         r"|(?:gel[öo]scht|aufgel[öo]st|supprim[ée]e?|ferm[ée]e?|eliminad[ao]|cancelad[ao]"
         r"|cerrad[ao]|cancellat[ao]|eliminat[ao]|chius[ao]|exclu[íi]d[ao]|encerrad[ao]"
         r"|verwijderd|opgeheven|usuni[ęe]t\w*|удал[её]н\w*|закрыт\w*) (?:\S+ ){0,2}(?:wegen"
         r"|aufgrund|pour|en raison|por|per|wegens|z powodu|из-за) (?:\S+ ){0,2}(?:inaktivit"
         r"|inactivit|inactividad|inatividade|falta de uso|inattivit|mancato utilizzo"
         r"|inactiviteit|niet-gebruik|braku aktywno|nieaktywno|неактивност|неиспользовани)"
         r"|(?:wegen|aufgrund) (?:\S+ )?(?:inaktivit[äa]t|nichtnutzung) (?:\S+ ){0,2}"
         r"(?:gel[öo]scht|aufgel[öo]st)"),
    rule("closed", 2004, r"n'existe plus|ya no existe|non esiste pi[uù]|n[ãa]o existe mais"
         r"|existiert nicht mehr|bestaat niet meer|(?:finns|existerar) inte l[äa]ngre"
         r"|nicht mehr (?:g[üu]ltig|aktiv|vorhanden|existent|in gebrauch)"
         r"|(?:adresse|postfach|konto|mailbox)\w* (?:\S+ ){0,3}wird nicht mehr (?:verwendet|genutzt"
         r"|benutzt)"
         r"|n'est plus (?:valide|actif|active|utilis[ée]e?|en service)"
         r"|ya no (?:es v[áa]lid|est[áa] activ|est[áa] en uso|se utiliza)"
         r"|non (?:[èe] )?pi[uù] (?:valid|attiv"
         r"|in uso)|n[ãa]o (?:est[áa] |[ée] )?mais (?:v[áa]lid|ativ|em uso|utilizad)"
         r"|niet meer (?:geldig|actief|in gebruik)"
         r"|ju[żz] nie (?:istnieje|jest aktywn|jest u[żz]ywan)"
         r"|больше не (?:существует|используется|действ|активн)"
         r"|(?<!发件人)(?<!發件人)(?<!寄件者)(?:账号|帐号|账户|帐户|邮箱|用户)(?:地址)?(?:已经|已)?(?:被)?"
         r"(?:注销|註銷|删除|刪除)"
         r"|使われておりません|使われていません|使用されていません"
         r"|(?<!送信者の)(?<!差出人の)(?<!送信者)(?<!差出人)(?<!送信元)"
         r"(?:アカウント|メールアドレス)(?:は|が)(?:既に|すでに)?削除され(?:ま|た)"),
    rule("disabled", 3002,
         r"(?:isn't|is not|not) allowed to receive (?:e-?)?mails?|"
         + _ANY_PART + r"\b[^;:]{0,48}?\b(?<!catch-all )(?<!catch-all is )(?:is |has been |was )?"
         r"(?:disabled|deactivated"
         r"|suspended|inactive|frozen|locked|discontinued|on hold|not (?:yet )?(?:been )?activated)"
         r"|(?:disabled|deactivated|suspended|inactive|frozen|locked) (?:e-?mail )?(?:mbox"
         r"|" + _ANY_PART + r")"
         + r"|(?:account|mailbox) (?:is |has been )?blocked"
         r"|account (?:is |has been )?(?:temporarily )?limited"
         r"|policy rejection on the target address|(?:account|mailbox) (?:isn't|is not) enabled"
         r"|(?<!sender )(?<!sending )(?:user|account|mailbox) (?:is )?forbid+e[nd]\b"
         r"(?! to send| from sending)"
         r"|(?:mailbox|account) (?:is )?not accepting (?:new |any )?(?:messages|mail|e-?mails?)\b"
         r"(?! from)|(?<!your account )\bis (?:now )?disabled (?:with|for) (?:the )?(?:smtp"
         r"|e-?mail|mail) service"),
    rule("disabled", 3002,
         r"\b(?:deaktiviert|gesperrt|d[ée]sactiv[ée]e?|suspendue?|desactivad[ao]"
         r"|deshabilitad[ao]|suspendid[ao]|inactiv[ao]|disattivat[ao]|sospes[ao]"
         r"|desativad[ao]|inativ[ao]|suspens[ao]|gedeactiveerd|geblokkeerd|inactief|disabilitat[oa]"
         r"|uitgeschakeld|opgeschort)\b"),
    rule("disabled", 3002,
         r"zablokowan|nieaktywn|zawieszon|заблокирован|отключен|не активн|неактивн|приостановлен"
         r"|заморожен|(?<!ihr )(?<!ihre )(?:konto|postfach|account)\b[^.;]{0,30}\bstillgelegt"
         r"|(?:账户|帐户|账号|帳號|邮箱).{0,4}暂停|(?:已被|被)暂停|계정이 정지|정지되었"
         r"|ask[\u0131i]ya al[\u0131i]n"
         r"|停用|冻结|凍結|被禁用|已禁用|被锁定|被鎖定|已锁定|(?<!アドレスが)(?<!アドレスは)(?<!宛先が)無効|停止され|利用停止"),
    # Exchange Online's directory-based edge blocking: the recipient is not in the directory.
    # The same words are any access map's refusal of the recipient (Postfix's
    # check_recipient_access): "access denied" is a doubt word (app/classify), so the answer is
    # counted, never acted on at once.
    rule("exchange-directory-reject", 2001,
         r"recipient address(?:es)? rejected ?: access denied|banned recipient"),
    # Domain words before the generic "does not exist" of the user-unknown rows below.
    rule("domain-not-found", 2002,
         r"domaine? (?:\S+ ){0,2}(?:inconnu|inexistant|n'existe pas|existiert nicht|unbekannt)"
         # the domain "could not be found" in the languages a provider words it in: before the
         # user-unknown rows' "Adresse ... nicht gefunden" that opens the same notice
         r"|\bdom(?:ain|[äa]ne) (?:\S+ ){0,2}(?:konnte )?nicht gefunden"
         r"|\bdomein (?:\S+ ){0,2}(?:kon |kan )?niet (?:worden )?gevonden"
         r"|no se (?:ha )?(?:podido )?encontr(?:ado|ar) el dominio"
         r"|nie (?:znaleziono|mo[żz]na znale[źz][ćc]) domeny"
         r"|domaine? (?:du |de l'|des )(?:destinataire|adresse)s? (?:\S+ )?(?:est )?(?:inconnu"
         r"|inexistant|n'existe pas|introuvable)|dominio (?:del |de la )?(?:destinatario"
         r"|direcci[óo]n) (?:\S+ )?(?:es )?(?:desconocido|inexistente|no existe)"
         r"|(?:domain|destination server)(?: [\w.-]+)?(?: for this recipient)?"
         r" (?:could not|couldn't) be found"
         r"|not be found in (?:the )?domain name service"
         r"|(?<!your )(?<!sender )(?<!sending )domain (?:\S+ )?(?:has expired"
         r"|is no longer (?:hosted|in use|active|registered))"
         r"|(?:recipient'?s?|destination) domain\b(?:[^.;]|\.(?=\S)){0,40}?(?:does not|doesn't)"
         r" exist"
         r"|no dns records? (?:found )?for (?:the )?domain"
         r"|no mail (?:server|exchanger)s? (?:could be |was |were )?found for (?:the )?"
         r"(?:recipient'?s? )?domain(?! (?:of|in|used|you)\b)"
         r"|domain\b[^.;]{0,40}\bis not registered|no mail (?:server|exchanger)s? (?:for"
         r"|at) (?:the "
         r"|this |that )?domain"
         r"|domain (?:name )?(?:in|of) the (?:e-?mail )?address (?:does not exist|doesn't exist"
         r"|is (?:invalid|unknown)|(?:was |is )?not found)"
         r"|domaine? (?:\S+ ){0,3}(?:est )?introuvable"
         r"|dominio (?:\S+ ){0,3}no (?:fue |ha sido )?encontrado|dom[íi]nio (?:\S+ ){0,3}n[ãa]o "
         r"(?:foi )?encontrado|dominio (?:\S+ ){0,3}non [èe] stato trovato|zieldomain\w* (?:\S+ )?"
         r"(?:wurde )?nicht gefunden|域名(?:无法解析|無法解析|解析失败|解析失敗)"
         r"|dominio (?:\S+ )?"
         r"(?:desconocido|inexistente|no existe|inesistente|sconosciuto|non esiste)"
         r"|dominio (?:\S+ ){2,4}(?:desconocido|inexistente|no existe|inesistente|sconosciuto"
         r"|non esiste)"
         r"|dom[íi]nio (?:\S+ ){0,2}(?:inexistente|n[ãa]o existe)|domein (?:\S+ ){0,3}bestaat niet"
         r"|domena (?:\S+ ){0,2}nie istnieje|домен\w* (?:\S+ ){0,2}не (?:найден|существует)"
         r"|域名不存在|ドメインが(?:存在しません|見つかりません)|도메인(?:이|은)? 존재하지 않"
         r"|도메인을 찾을 수 없"
         r"|\bdom[ée]n[ay]? (?:\S+ ){0,2}neexistuje|\bdomain (?:\S+ ){0,2}nem l[ée]tezik"
         r"|\bdom[äa]nen (?:\S+ )?finns inte|\bdomena (?:\S+ ){0,2}ne postoji"
         r"|(?<!\w)домейн\w* (?:\S+ ){0,2}не съществува"
         r"|\bdomini (?:\S+ ){0,2}no existeix|tên miền (?:\S+ ){0,2}không tồn tại"
         r"|\bdomain (?:\S+ ){0,2}tidak (?:ditemukan|ada)|النطاق\s?غير موجود"),
    rule("bad-syntax", 2003,
         r"(?:restricted|illegal|invalid) characters? in (?:the )?(?:local[- ]part|local address"
         r"|recipient address|address)"
         r"|(?:address|mailbox|recipient) syntax|(?:malformed|badly formatted|badly formed)"
         r" (?:recipient )?address|invalid address format|address (?:is )?malformed"
         r"|syntax (?:error )?in (?:the )?(?:recipient )?address|address (?:has|contains) (?:a )?"
         r"syntax error|(?:domain|address) (?:is )?"
         r"(?:missing or malformed|missing)|must contain a domain|must specify a domain"
         r"|fully[- ]qualified address"
         r"|[\"']? ?(?:@|\.)[\"']? or [\"']?(?:@|\.)[\"']? expected|unable to normalize"
         r"|single label domains?|reserved by rfc ?2606|missing (?:the )?domain(?: part| name)?\b"
         r"|address (?:\S+ )?(?:is )?too long|local part must not (?:begin|end|start) with"
         r"|local[- ]part (?:is )?too long|(?:local[- ]part|domain(?: name)?|address)"
         r" (?:cannot|can't|may not|must not) (?:exceed|be longer than) \d+ (?:char|octet|byte)"
         r"|(?:(?:user|domain|valid) address|domain name) (?:is )?required(?![:\s]+(?:for "
         r"|in )?e?helo)"
         r"|not a valid rfc ?\d* address|invalid rcpt to address"
         r"|fully qualified domain name required|address contain(?:s|ed) (?:invalid|illegal)"
         r"|(?<!发件人)(?<!發件人)(?<!寄件者)(?<!发件人邮箱)(?<!發件人郵箱)"
         r"(?:邮箱|郵箱)?地址格式(?:错误|錯誤|不正确|不正確|无效|無效|有误)"
         r"|(?:prescan|remotename|address)\b[^.;]{0,20}(?:too many tokens|token too long)"
         # an address without a usable local part ("missing or malformed local part")
         r"|(?:missing|malformed|empty|invalid|bad)(?: or (?:missing|malformed|empty|invalid))?"
         r" local[- ]?part\b|local[- ]?part (?:is )?(?:missing|empty|malformed|invalid)\b"),
    # The recipient's *server* not found is a DNS or configuration fault, not an unknown user.
    rule("server-not-found", 4999,
         r"unable to find the recipient'?s? (?:e-?mail |mail )?server|dns query has failed"
         r"|(?:relay|smtp) server could not be found"),
    # An ESP refusing to send to an address on its own suppression list: it bounced before.
    rule("recipient-restricted", 2999,
         r"blocking all (?:outside|external|incoming|outbound) (?:e-?)?mail"
         r"|(?:accepts?|receives?) (?:e-?)?mail only from (?:its own|internal|inside)"
         r"|(?:메일 )?수신을 제한하"),
    rule("esp-suppressed", 2999,
         r"previously bounced (?:address|recipient)|(?:address|recipient) (?:is )?on (?:the |our |"
         r"your )?suppression list|\bon (?:the |our |your )?(?:account(?:-level)? |global )?"
         r"suppression list|suppression list for (?:your|this|the) account"
         r"|this address previously bounced"),
    # A name that matches several recipients (rubric 2999: recipient not unique).
    rule("ambiguous-recipient", 2999,
         r"(?:recipient|user|address|addressee) (?:name )?is ambiguous"
         r"|ambiguous (?:recipient|address|user|alias)|(?:recipient|address) (?:is )?not unique"
         r"|ambiguous[- ](?:o/r|or)[- ](?:name|address)|ambiguous[- ]?orname"
         r"|multiple (?:matching )?(?:entries|matches) (?:were )?found in (?:the )?(?:\S+ )?"
         r"(?:directory|name (?:&|and) address book|address book)"),
    # X.400 and gateway wording of an unknown recipient or destination system.
    rule("user-unknown", 2001, r"unrecogni[sz]ed[- ]o/r[- ](?:name|address)"
                                 r"|o/r name (?:is )?unknown|unrecogni[sz]ed[- ]?orname"
                                 r"|no matching (?:person|group|person or group)"
                                 r" (?:document|entry|record)"
                                 r"|unrecogni[sz]ed-or-(?:name|address)"),
    rule("domain-not-found", 2002,
         r"(?:destination|recipient'?s?) (?:e-?mail |mail )?system is unknown"
         r"|(?:destination|recipient'?s?) post ?office (?:was |is )?(?:not found|unknown)"
         r"|dom[äa]ne des empf[äa]ngers (?:\S+ )?existiert nicht|(?:empf[äa]nger|ziel)-?dom[äa]ne"
         r" (?:\S+ )?existiert nicht|dominio de destino (?:\S+ )?(?:no existe|inexistente"
         r"|desconocido)|domaine de destination (?:\S+ )?(?:n'existe pas|inexistant|inconnu)"
         r"|dominio di destinazione (?:\S+ )?(?:non esiste|inesistente)"
         r"|dom[íi]nio de destino (?:\S+ )?(?:n[ãa]o existe|inexistente)"
         r"|(?:\b|empf[äa]nger|ziel)dom[äa]ne (?!(?:\S+ )?(?:des |der )?absender)(?:\S+ ){0,2}"
         r"(?:existiert nicht|ist (?:nicht vorhanden|unbekannt|ung[üu]ltig)|wurde nicht gefunden)"),
    # A top-level domain that does not exist makes every address under it dead (rubric 2002).
    rule("domain-not-found", 2002,
         r"(?:invalid|unknown|non-?existent|unregistered|bad|illegal) (?:top[- ]level[- ]domain"
         r"|tld)\b|(?:top[- ]level[- ]domain|\btld)\b (?:\S+ ){0,2}(?:is )?(?:invalid|unknown"
         r"|not valid|does(?: not|n't) exist|not found|not registered)"),
    # The widest family, spread over rows by phrasing and language; the rows share one name
    # and one place in the order.
    rule("user-unknown", 2001,
         _PART + r"[ -](?:name )?(?:is )?unknown|unknown[ -]" + _ANY_PART + r"|unknown or illegal"
         r"|(?<!sender )(?:user|recipient|addressee|mailbox)\b(?:[^.;:]|\.(?=\S)){0,40}?"
         r"\bis not known (?:at|on|in|to) (?:this|the|our) (?:domain|site|host|system|server"
         r"|organi[sz]ation)"),
    rule("user-unknown", 2001,
         r"nie znaleziono (?:podanego |wskazanego |tego )?adresu" + _PL_NOT_THE_RECIPIENTS +
         r"|(?:找不到|未找到)(?:您|你)输入的(?:电子邮件|邮件|電子郵件)?地址"
         r"|(?<![\w-])(?:gebruiker|ontvanger|e-?mailadres|adres)\b"
         r"(?! van (?:de|het|uw|je) \S*server)(?:[^.;]|\.(?=\S)){0,30}?\bniet bekend"
         r"|(?<!送信者の)(?<!送信元の)(?<!差出人の)(?<!ip)(?<!ip )(?<!返信先)(?<!送信元)(?<!接続元)"
         r"(?<!送信者)(?<!差出人)"
         r"(?:アドレス|宛先|ユーザー?)(?:は|が)登録されていません"),
    rule("user-unknown", 2001, r"no such " + _ANY_PART + r"|no such local user"
         r"|(?:e-?mail )?address\b[^;]{0,60}\bis not available here"),
    rule("user-unknown", 2001,
         _PART + r" (?:name )?(?:is )?(?:not exist|does(?: not|n't) exist|did not exist)"
         r"|(?:user|recipient|mailbox) (?:does )?not exists?"
         r"|account that you tried to reach does (?:not|no) exists?"
         r"|non-?\s?exist(?:e|i)n[tg] " + _ANY_PART
         + r"|" + _PART + r" (?:\S+ )?(?:is )?non-?\s?existent|address (?:\S+ )?does(?: not|n't)"
         r" exist"
         r"|" + _PART + r" (?:is |was )?(?:incorrect|invalid|wrong|misspelled|unknown)"
         r" or (?:it )?(?:does(?: not|n't)|did not|no longer) exists?"),
    rule("user-unknown", 2001,
         _PART + r" (?:name )?(?:is |was |were )?not found"
         r"|(?:user|recipient|mailbox|account) " + _NOT_A_NAME + r"\S+ (?:was |is )?not found"
         r"|(?:user|recipient|receiver|mailbox|account|addressee) " + _NOT_A_NAME
         + r"<?[^\s<>]+>? (?:is )?unknown\b"
         r"|recipi?e?n?t?notfound|no (?:mail ?box|account|user|recipient)e?s? (?:was |were )?"
         r"found|(?:unable to|could not|couldn't) find (?:the |that )?(?:user|recipient"
         r"|mailbox|account)"),
    rule("user-unknown", 2001, r"invalid (?:recipient|mailbox|user|address|e-?mail address)"
         r"|is an? invalid (?!(?:ip|sender|from|return|reply|helo|ehlo|host|domain|server|smtp"
         r"|dns|source|client)\b)[\w-]+ (?:mailbox|recipient|user|address)\b"
         r"|(?:destinataire|adresse) invalide|invalid final delivery"
         r"|(?:recipient|mailbox|user|address) (?:\S+ )?(?:is )?invalid"),
    rule("user-unknown", 2001,
         r"(?<!ip )(?<!ip-)" + _PART + r" (?:name )?(?:is )?not (?:known|recogni[sz]ed|valid)"
         r"|not a (?:valid|registered|known)(?: \w+)? " + _ANY_PART
         + r"|unrecogni[sz]ed (?:user|recipient|address)"
         r"|(?:could not|couldn't|cannot|can't) be recogni[sz]ed as (?:an? )?(?:valid )?"
         r"(?:e-?mail )?address"),
    rule("user-unknown", 2001,
         r"does(?: not|n't) have an? (?:[\w.-]+ )?account|(?:does(?: not|n't)|has no) (?:have )?"
         r"an? final delivery point|no final delivery point"),
    rule("user-unknown", 2001,
         r"(?:does not|doesn't) specify a valid (?:notes )?mail file"
         r"|no mailbox (?:here|by that name)|illegal (?:user|alias)"
         r"|(?:user|recipient|mailbox|account) " + _NOT_A_NAME + r"\S+"
         r" (?:does not|doesn't) exist"
         r"|(?:user|recipient) has no (?:mailbox|account) (?:on|at|here)"
         r"|has no mailbox (?:on|at|here|in)|no (?:mail ?box|account) (?:for|with) (?:this|that"
         r"|the) "
         r"address|does not belong to any (?:user|account|mailbox)"
         r"|(?<!sender )(?<!sending )mailbox\b(?:[^.;]|\.(?=\S)){0,40}?\bis unknown"
         r"|no (?:account|mailbox|user) by that name|not (?:in|on|listed in) (?:the |my |our )?"
         r"(?:list of )?(?:valid|known) (?:recipients|users)|validrcptto|valid_rcptto"
         r"|not (?:in|on|listed in) (?:the |my |our )?(?:valid|known) (?:recipient|user|address)"
         r"(?:es)? (?:list|table)"
         r"|address you (?:sent|wrote|e-?mailed)\b[^.;]{0,30}(?:was not found"
         r"|does(?: not|n't) exist|is not valid|is invalid)"
         r"|nessun (?:utente|destinatario|account)\b|no ?one by that name"
         r"|nobody by that name"
         r"|(?<!ip )(?<!ip-)(?:address|recipient|user)\b(?:[^.;]|\.(?=\S)){0,40}?\b(?:was |is )?not"
         r" recogni[sz]ed"
         r"|badrcptto"
         r"|mailbox (?:" + _NOT_A_NAME + r"\S+ )?(?:not found|does not exist)"
         r"|mailbox unavailable or access denied|(?:wasn't|was not) found at"
         r"|\bbad (?:user|recipient|mailbox)\b|bad destination mailbox"
         r"|recipient verification failed\b|marked as invalid|invalid rcpt ?to\b"
         r"|local user (?:\[[^\]]{1,80}\] |<[^>]{1,80}> |\S+ )?(?:was |is )?not found"
         r"|(?:user|recipient|account|mailbox) (?:" + _NOT_A_NAME + r"\S+ )?(?:is |was )?"
         r"not found (?:in|on) (?:the |this )?(?:server|system|directory|domain)\b"
         r"|rcpt[- ]?to:? no (?:such )?mailbox\b"),
    rule("user-unknown", 2001,
         r"(?:benutzer|empf[äa]nger|adresse|postfach|mailbox|e-mail-adresse|konto) (?:\S+ )?"
         r"(?:ist )?(?:unbekannt|existiert nicht|nicht vorhanden|nicht gefunden)"
         r"|unbekannte[rn]? (?:benutzer|empf[äa]nger|adresse)"
         r"|(?:destinataire|utilisateur)\b(?:[^.;]|\.(?=[a-z])){0,30}n'est pas connu"
         r"|(?:destinatario|usuario"
         r"|direcci[óo]n)\b(?:[^.;]|\.(?=[a-z])){0,30}no es conocid|(?:adres"
         r"|kullan[\u0131i]c[\u0131i]"
         r"|al[\u0131i]c[\u0131i])\w* (?:\S+ )?mevcut de[ğg]il"
         r"|(?:utilisateur|destinataire|adresse|compte|bo[iî]te)\b(?:[^.;]|\.(?=[a-z])){0,30}"
         r"(?:inconnue?|inexistante?|n'existe pas)"
         r"|(?:usuario|destinatario|buz[óo]n|cuenta|direcci[óo]n|casilla)\b(?:[^.;]"
         r"|\.(?=[a-z])){0,30}"
         r"(?:desconocid[ao]|inexistente|no existe)"
         r"|(?:usu[áa]rio|utilizador|destinat[áa]rio|conta|caixa postal|caixa de correio"
         r"|endere[çc]o)\b"
         r"(?:[^.;]|\.(?=[a-z])){0,30}(?:desconhecid[ao]|inexistente|n[ãa]o existe)"
         r"|(?:utente|destinatario|indirizzo|casella)\b(?:[^.;]|\.(?=[a-z])){0,30}(?:sconosciut[oa]"
         r"|inesistente|non esiste)"
         r"|(?<![\w-])(?:gebruiker|ontvanger|bestemmeling|geadresseerde|e-?mailadres|adres"
         r"|mailbox)\b"
         r"(?:[^.;]|\.(?=[a-z])){0,30}"
         r"(?:onbekend|bestaat niet"
         r"|niet bestaat)|empf[äa]nger\w* existiert (?:\S+ ){0,4}nicht\b"
         r"|adresse\b(?! ip\b)[^.;]{0,40}(?:est )?incorrecte"
         r"|empf[äa]nger\w* (?:\S+ )?(?:ist )?(?:unbekannt"
         r"|existiert nicht"
         r"|nicht existiert|nicht vorhanden|nicht gefunden)"
         r"|no se (?:ha )?(?:podido )?encontr(?:[óo]|ar) (?:la |el )?(?:direcci[óo]n|destinatario"
         r"|usuario|buz[óo]n|cuenta)|ismeretlen (?:felhaszn[áa]l[óo]|c[íi]mzett)"
         r"|(?:felhaszn[áa]l[óo]|c[íi]mzett)\w* (?:\S+ )?nem l[ée]tezik"
         r"|(?:utilizator|destinatar|adres[ăa])\w* (?:\S+ ){0,3}(?:necunoscut|inexistent|nu exist)"
         r"|onbekende (?:gebruiker|ontvanger|bestemmeling|geadresseerde)"
         r"|(?:adresse|empf[äa]nger)\b[^.;]{0,80}nicht gefunden"
         r"|(?:indirizzo|destinatario|utente)\b[^.;]{0,80}non (?:[èe] stato )?trovat"
         r"|(?:e-?mailadres|adres|ontvanger)\b[^.;]{0,80}niet (?:gevonden|gekend)"
         r"|(?:endere[çc]o|destinat[áa]rio|usu[áa]rio|utilizador)\b[^.;]{0,80}n[ãa]o (?:foi )?"
         r"encontrad"
         r"|(?:adresse|destinataire|bo[iî]te|utilisateur|compte)\b[^.;]{0,80}(?:introuvable"
         r"|n'a pas [ée]t[ée] trouv)"
         r"|(?:direcci[óo]n|destinatario)\b[^.;]{0,80}no (?:se )?(?:ha )?"
         r"(?:encontrad[oa]|encontr[óo])"),
    rule("user-unknown", 2001,
         r"nie znaleziono (?:adresu" + _PL_NOT_THE_RECIPIENTS
         + r"|adresata|u[żz]ytkownika|odbiorcy)|找不到(?:收件人|该用户|用户)"
         r"|找不到(?:该|此)?(?:电子邮件|電子郵件|邮件|郵件|收件人|收件者)?地址"

         r"|nieznan\w* (?:u[żz]ytkownik|adresat|odbiorc)|(?:u[żz]ytkownik|konto|skrzynka|adres"
         r"|odbiorca)\w* (?:[^.;]|\.(?=[a-z])){0,30}nie istnieje"
         r"|brak (?:takiego )?(?:u[żz]ytkownika|konta"
         r"|skrzynki|adresata)|nie ma takiego (?:u[żz]ytkownika|konta|adresu|adresata|odbiorcy)"
         r"|пользовател\w* (?:[^.;]|\.(?=[a-z])){0,30}не (?:найден|существует)|нет такого"
         r"|такого (?:пользователя|адреса|ящика|получателя|аккаунта) (?:не существует|нет)"
         r"|(?:адрес|ящик|получател|аккаунт|учетн|учётн)\w* (?:[^.;]"
         r"|\.(?=[a-z])){0,30}не (?:найден|существует)"
         r"|неизвестн\w* (?:пользовател|получател|адрес)"
         r"|(?:пользовател|получател|ящик)\w* (?:[^.;]|\.(?=[a-z])){0,30}не зарегистрирован"
         r"|用户不存在|用戶不存在|收件人不存在|地址不存在|邮箱不存在|郵箱不存在|帐户不存在"
         r"|账户不存在|账号不存在|帳號不存在|用户名不存在|无此用户|查无此|收件人.{0,10}无效"
         r"|宛先不明|ユーザ(?:ー)?(?:が)?(?:存在しません|不明|見つかりません)"
         r"|(?:アドレス|宛先|メールボックス|アカウント)(?:は|が)?(?:存在しません|見つかりません)"
         r"|ディレクトリ.{0,10}ありません"
),
    # "The user to whom you are sending does not exist": the clause between the subject and the
    # verb is longer than the row above allows (Kopano's Russian spooler text).
    rule("user-unknown", 2001,
         r"(?:пользовател|получател|адресат|ящик)\w*\b[^.;]{0,20}(?:к|на) котор\w* (?:вы )?"
         r"(?:пытаетесь )?(?:отправ|пиш|посыла)\w*[^.;]{0,40}не (?:найден|существует)"),
    rule("user-unknown", 2001,
         r"(?<!ip )(?<!server )address (?:you entered )?(?:couldn't|could not|can't"
         r"|cannot) be found"
         r"|(?:recipient|user|mailbox|addressee) (?:could not|couldn't|can't|cannot) be found"
         r"|(?:user|recipient|account) (?:\S+ )?(?:is )?not registered|no user by that name"
         r"|(?:adresse|empf[äa]nger|benutzer)\b(?:[^.;]|\.(?=[a-z])){0,30}nicht bekannt"
         r"|(?:conta|caixa)\b[^.;]{0,40}n[ãa]o (?:foi )?encontrad|收件人地址(?:错误|有误|無效|无效)"
         r"|(?:user|recipient|addressee) \S+ (?:is )?not listed in|not listed in (?:the )?"
         r"(?:domino |public |global )?(?:directory|address book|name (?:&|and) address book)"
         r"|kein(?:en)? (?:solche[rn]? )?(?:benutzer|empf[äa]nger|postfach)"
         r"|teilnehmer\w* (?:\S+ )?(?:existiert nicht|unbekannt|nicht vorhanden)"
         r"|wurde nicht (?:in|auf|unter) \S+ gefunden|n'a pas [ée]t[ée] trouv[ée]e? (?:sur|dans) "
         r"|no se (?:ha )?encontr[óo] en |non [èe] stat[oa] trovat[oa] (?:in|su) "
         r"|n[ãa]o foi encontrad[oa] em |is niet gevonden (?:op|in) "
         r"|cassetta (?:postale )?\b(?:[^.;]|\.(?=[a-z])){0,30}(?:non trovata|non disponibile"
         r"|inesistente)"
         r"|(?:impossible|pas (?:[ée]t[ée] )?possible) de trouver l'adresse(?! ip)"
         r"|possibile trovare l'indirizzo(?! ip)|poss[íi]vel encontrar o endere[çc]o(?! ip)"
         r"|nie (?:mo[żz]na|uda[łl]o si[ęe]) (?:odnale[źz][ćc]|znale[źz][ćc]) (?:[^.;]"
         r"|\.(?=[a-z])){0,30}adres"
         r"(?!u ip)|не удалось найти (?:[^.;]|\.(?=[a-z])){0,30}адрес(?! ip)"
         r"|找不到(?:您)?(?:输入的|輸入的)?(?:电子邮件|电子邮箱|邮件|電子郵件)地址"
         r"|(?:don't|doesn't|does not) exists? (?:that|this|the) user"
         r"|not (?:a )?user of this (?:server|system|domain)|unavailable mail user"
         r"|adresse (?:ist )?ung[üu]ltig|(?:utilisateur|destinataire|adresse|compte) (?:non|pas)"
         r" trouv[ée]|(?:adresse|destinataire)\b(?:[^.;]|\.(?=[a-z])){0,30}(?:invalide|non valide)"
         r"|(?:usuario|destinatario|buz[óo]n|cuenta)\b(?:[^.;]|\.(?=[a-z])){0,30}no (?:encontrad"
         r"|v[áa]lid)"
         r"|no existe (?:el|la) (?:usuario|destinatario|buz[óo]n|cuenta|direcci[óo]n)"
         r"|not a hosted (?:mailbox|user|account|address|recipient)"
         r"|aucun (?:compte|utilisateur|destinataire) (?:\S+ )?ne correspond"
         r"|(?:ninguna cuenta|ning[úu]n (?:usuario|buz[óo]n)) (?:\S+ )?(?:corresponde|coincide)"
         r"|nessun (?:utente|account) (?:\S+ )?corrisponde"
         r"|(?:nenhuma conta|nenhum (?:usu[áa]rio|utilizador)) (?:\S+ )?corresponde"
         r"|n[ãa]o existe (?:nenhum |nenhuma )?(?:usu[áa]rio|utilizador|conta|destinat[áa]rio)"
         r"|no existe (?:ning[úu]n |ninguna )?(?:usuario|cuenta|buz[óo]n|destinatario)\b"
         r"|non esiste (?:alcun |nessun )?(?:utente|account|casella)\b"
         r"|ongeldig\w* (?:e-?mail)?(?:adres|ontvanger|gebruiker)"
         r"|(?:gebruiker|mailbox|postvak)\b[^.;]{0,40}niet (?:gevonden|gekend)"
         r"|adres\w* [^.;]{0,20}nieprawid[łl]ow|无效的?(?:收件人|用户|地址|邮箱)"
         r"|存在しない(?:メール)?(?:アドレス|ユーザ|宛先|アカウント)"
         r"|(?:ユーザ|宛先|アカウント)ー?(?:は|が)?(?:いません|ありません)"),
    rule("user-unknown", 2001,
         r"(?:empf[äa]nger(?:adresse)?|e-mail-adresse)\b(?:[^.;]|\.(?=[a-z])){0,30}ung[üu]ltig"
         r"|ung[üu]ltige (?:empf[äa]nger|adresse)|adresse (?:e-?mail )?invalide"
         r"|direcci[óo]n (?!ip\b)[^.;]{0,40}\bno es v[áa]lida|endere[çc]o (?!ip\b)[^.;]{0,40}"
         r"\bn[ãa]o [ée] v[áa]lido|adresse (?!ip\b)[^.;]{0,40}\bn'est pas valide"
         r"|indirizzo (?!ip\b)[^.;]{0,40}\bnon [èe] valido"
         r"|direcci[óo]n (?:de )?(?:correo |e-?mail )?(?:electr[óo]nico )?(?:no v[áa]lida"
         r"|inv[áa]lida)"
         r"|(?:address|account|mailbox|user) (?:that )?you (?:tried to reach|are trying to reach"
         r"|sent to|entered|wrote to) (?:is )?(?:not valid|invalid|unknown|does(?: not|n't) exist)"
         r"|indirizzo (?:e-?mail )?non valido|endere[çc]o (?:de e-?mail )?inv[áa]lido"
         r"|nieprawid[łl]owy adres|недопустимый адрес|неверный адрес|地址无效|地址無效"
         r"|(?:アドレス|宛先)(?:が|は)?無効"),
    rule("user-unknown", 2001,
         r"kullan[\u0131i]c[\u0131i] bulunamad[\u0131i]|u[žz]ivatel\w* neexistuje"
         r"|al[\u0131i]c[\u0131i]\w* (?:\S+ )?bulunamad[\u0131i]"
         r"|(?<!g[öo]nderen )(?<!g[öo]nderici )adres\w* bulunamad[\u0131i]"
         r"|(?:anv[äa]ndare\w*|mottagare\w*|adress\w*) finns inte"
         r"|(?:bruker\w*|mottaker\w*|adresse\w*) (?:finnes|findes) ikke"
         r"|(?:k[äa]ytt[äa]j[äa][äa]?|vastaanottaja\w*) ei l[öo]ydy|존재하지 않"
         r"|(?:al[\u0131i]c[\u0131i]|adres|kullan[\u0131i]c[\u0131i])\w* (?:\S+ )?ge[çc]ersiz"
         r"|(?:χρήστης|παραλήπτης|διεύθυνση|λογαριασμός)\w* (?:\S+ )?δεν υπάρχει"
         r"|(?:mottagare\w*|anv[äa]ndare\w*) (?:\S+ )?(?:[äa]r )?ok[äa]nd|(?:mottaker\w*|bruker\w*"
         r"|modtager\w*) (?:\S+ )?(?:er )?(?:ukjent|ukendt)|tuntematon (?:k[äa]ytt[äa]j[äa]"
         r"|vastaanottaja)|(?:користувач|скриньк|адрес|отримувач)\w* (?:\S+ )?не (?:існує|знайдено)"
         r"|(?:такої|такого) (?:\S+ )?не існує|не існує"
         r"|없는 (?:사용자|계정|주소)|등록되지 않은 (?:사용자|계정|주소|아이디)"
         r"|(?<!도메인 )(?<!보내는 사람의 )(?<!보낸 사람의 )(?<!발신자의 )(?<!발신자 )"
         r"(?:주소|사용자|받는 ?사람|수신자|계정)(?:를|을|가|이)? 찾을 수 없"
         r"|(?:recipient'?s? )?address is undeliverable"
         r"|(?:người nhận|người dùng|địa chỉ)\b(?:[^.;]|\.(?=[a-z])){0,30}không tồn tại"
         r"|(?:alamat|pengguna|penerima)\b(?! ip\b)(?:[^.;]|\.(?=[a-z])){0,30}tidak (?:ditemukan"
         r"|dikenal|ada)"
         r"|(?:المستخدم|المستلم|العنوان)\s?غير موجود|(?:המשתמש|הנמען|הכתובת)\s(?:אינו|אינה|לא)"
         r"\s(?:קיים|קיימת|נמצא)|(?:korisnik|primatelj|adresa)\w* (?:\S+ )?ne postoji"
         r"|(?:потребител|получател|адрес)\w* (?:\S+ )?не съществува"
         r"|(?:usuari|destinatari|adre[çc]a)\b(?:[^.;]|\.(?=[a-z])){0,30}no existeix"
         r"|pou[žz][íi]vate[ľl]\w* (?:\S+ )?neexistuje"),
    # qmail's logs write the remote reply with underscores for spaces ("Remote_host_said:_550
    # _No_such_user").
    rule("user-unknown", 2001,
         r"no_such_(?:user|mailbox|recipient|address)|(?:user|recipient|mailbox)_(?:unknown"
         r"|not_found)|unknown_(?:user|recipient)"),
    # Hand-written replies misspell the family ("Unknwon User", "RCPT (account) dosn't
    # exist", "user dose not exsist"), and an LMTP or callout reply may say only at which
    # command the address was unknown ("unknown on RCPT").
    rule("user-unknown", 2001,
         r"(?<!sender )(?<!sending )" + _PART + r"[ -](?:name )?(?:is )?(?:unknwon|unkown|uknown"
         r"|unknonw|unknow)\b|\b(?:unknwon|unkown|uknown|unknonw|unknow) " + _ANY_PART
         + r"|(?<!sender )(?<!sending )" + _PART + r"s?\)? (?:" + _NOT_A_NAME + r"\S+ )?(?:dosn'?t"
         r"|does'nt|doesnt"
         r"|dose ?n'?t|dose not|does no|do not|don'?t|dont) (?:exists?|exsists?|exsits?)\b"
         r"|\bunknown (?:on|at|after|in reply to) (?:the )?rcpt\b"),
    # An acknowledgement that thanks the sender is an auto-reply; it comes after the recipient
    # rows because a reply or a provider's notice may thank the sender and then say the
    # address is closed, full or unknown.
    rule("auto-reply", 5001,
         r"thank(?:s| you) for (?:your|the) (?:e-?mail|message|mail|inquiry|enquiry|note)"
         r"|(?:will|shall) (?:respond|reply|get back to you)|merci (?:pour|de) votre (?:message"
         r"|courriel|e-?mail)|(?:vielen )?dank f[üu]r ihre (?:e-?mail|nachricht)"
         r"|gracias por su (?:correo|mensaje)|grazie per (?:la sua|il suo|il tuo|la tua)"
         r" (?:e-?mail|messaggio)|obrigad[oa] (?:pelo|por) (?:seu |sua )?(?:e-?mail|mensagem"
         r"|contato)|bedankt voor (?:uw|je) (?:e-?mail|bericht)|dzi[ęe]kuj\w* za (?:wiadomo"
         r"|e-?mail|list)|спасибо за (?:ваше )?(?:письмо|сообщение)|感谢您的来信|感謝您的來信"
         r"|メールありがとうございます|お問い合わせありがとうございます"
         r"|thank(?:s| you) for contacting|your (?:request|ticket|case|enquiry|inquiry)\b"
         r"(?:[^.;]|\.(?=\S)){0,30}?\bhas been (?:received|created|logged|opened)"
         r"|(?:mailbox|inbox|e-?mail address|address) is (?:not|un)monitored"
         r"|unmonitored (?:mailbox|inbox|address)"
         r"|(?:来信|邮件|郵件|來信)\W{0,2}我?已(?:经|經)?收到|已(?:经|經)?收到了?(?:你|您)的(?:来信|邮件|郵件|來信)"),
    # A temporary DNS failure says "not found" too ("Host or domain name not found. ... Host
    # not found, try again"): before the domain rows.
    rule("dns-failure", 4999, r"unexpected name server reply|host not found, try again"
         r"|dns (?:failure|query (?:failed|error))|lookup failure|servfail|lookup timed out"
         r"|temporary (?:dns|name resolution) (?:failure|error)|dns temporary (?:failure|error)"
         r"|dns lookup\b(?:[^.;]|\.(?=\S)){0,40}?(?:temporary error|timed out)"
         r"|temporary failure in (?:mx |dns )?(?:lookup|name resolution)|dns resolve error"
         r"|lookup (?:of|for) \S+ (?:failed|did not complete)|failed to lookup"
         r"|name server timeout|dns timeout|could not contact dns|lookup did not complete"
         r"|dane error|tlsa lookup"
         r"|(?:cname|mx|a) lookup (?:failed|timed out)|name or service not known"
         r"|(?:could not|unable to|couldn't) resolve (?:the )?mx"
         r"|name service error[^.;]*try again|host map: lookup \([^)]*\): deferred"
         r"|transient parse error"),
    # A domain that publishes that it takes no mail (RFC 7505's null MX): the address can
    # never receive any, like a domain that does not exist.
    rule("null-mx", 2002,
         r"null ?mx|no longer accepts? (?:e-?)?mail for any (?:address|recipient|user|mailbox)"
         r"|domain (?:\S+ )?(?:does not|doesn't|no longer) accepts? (?:e-?)?mail"
         r"(?! (?:over|without|via|through|unless|except|before|until|during|larger|bigger"
         r"|with|on port|at this time|in plain)\b)"
         r"|mx 0 \.(?!\w)|no mail servers? (?:appears? to )?exists? for|indicated no smtp service"
         r"|(?<!your )domain is (?:set up|configured) (?:to not|not to) (?:receive|accept)"
         r" (?:any )?(?:e-?)?mail(?! from)"
         r"|(?:domain|destination) (?:\S+ ){0,2}has no (?:valid |usable )?mail (?:servers?"
         r"|exchangers?|hosts?)"
         r"|dns server returned answer with no data|no data by dns"),
    rule("blocklist-domain", 1003,
         r"restricted-delivery|(?:has )?chosen not to (?:accept|receive) (?:messages|e-?mails?"
         r"|mail) from"
         r"|n[ãa]o aceita mensagens do seu sistema|no acepta mensajes de su sistema"
         r"|n'accepte pas les messages de votre syst[èe]me"
         r"|not (?:accept|receive)(?:ing)? (?:e-?)?mail from (?:your|this|the sender'?s?)"
         r" (?:domain|organi[sz]ation|company)"
         r"|not (?:accept|receive)(?:ing)? (?:e-?)?mail from (?:this|the|your) sender\b"
         r"|(?:mail|messages|e-?mails?) from (?:your|this|that|the sender'?s?) (?:domain|sender)"
         r" (?:is |are )?not accepted|not accept (?:e-?)?mail from [\w-]+(?:\.[\w-]+)+\b"),
    rule("blocklist-ip", 1002,
         r"not (?:accept|receive)(?:ing)? (?:e-?)?mail from (?:your |this |the )?(?:ip|host"
         r"|server|network|address)\b"
         r"|не принимает (?:почту|письма|сообщения) \w{1,2} (?:вашего|этого) ip"
         r"|n'accepte pas (?:les |de )?(?:messages|courriers?|e-?mails?) (?:provenant )?de votre"
         r" (?:adresse )?ip|no acepta (?:correo|mensajes) (?:desde|de) su (?:direcci[óo]n )?ip"
         r"|too many (?:previous |failed )?auth(?:entication)? (?:errors|failures|attempts)"),
    rule("no-mail-accepted", 4006,
         r"(?:does not|doesn't|not|no longer) (?:accept|receive)s? (?:e-?)?mail"
         r"|not accepting (?:e-?)?mail|no smtp service"
         r"|(?:we do not|we don't) (?:accept|handle) mail for|not (?:hosted|served) here"
         r"|not hosted (?:on|by) this (?:server|system|host)"),
    rule("domain-not-found", 2002,
         r"(?:host|domain)(?: or domain)?(?: name)?(?: [\w.-]+)?"
         r" (?:not found|does not exist|does ?n'?t exist|unknown)(?!, try again)|no such domain"
         r"|unroute?able (?:address|(?:mail |recipient |destination )?domain)|nxdomain"
         r"|couldn't find any host"
         r"|illegal host|invalid domain|unknown domain|domain (?:is )?not reachable"
         r"|invalid host ?(?:/|or) ?domain"
         r"|unresolvable (?:e-?mail |mail |recipient |destination )?(?:address|domain)"

         r"|mx records? points? to non-?existent hosts?|non-?existent (?:domain|host)"
         r"|no (?:mx|mail exchanger)(?: or a)?(?: records?)?(?: (?:found|for))?"
         r"|couldn't find a mail exchanger|had no relevant answers|domain is not in use"
         r"|(?:invalid|missing|bad) mx(?: records?)?"
         r"|(?:weren't|were not|wasn't|was not) able to find the recipient(?:'s)? domain"
         r"|domaine? (?:\S+ )?introuvable|dominio (?:\S+ )?no (?:encontrado|v[áa]lido)"
         r"|(?:domain|dom[äa]ne) (?:\S+ )?nicht gefunden|(?:couldn't|could not|unable to) find"
         r" the recipient(?:'s)? domain"),
)

SYMPTOMS: tuple[Rule, ...] = (
    # Exim's refusal of the whole message at its DATA ACL ("Rejected after DATA: <reason>"),
    # when no cause row read the reason: a refusal of the message (rubric R2, 1999), not of
    # the address; "temporarily rejected after DATA" is left to the try-later rows.
    rule("rejected-after-data", 1999,
         r"(?<!temporarily )(?:rejected|refused|denied) after (?:the )?(?:end of )?data\b"),
    # A security or policy status (5.7.x) whose only words are "service unavailable": the
    # server refused us by policy and named nothing else (rubric R0, 1999), not a busy server.
    # Generic words, so a symptom: every cause and an ESP's label of a cause come first.
    rule("policy-unavailable", 1999,
         r"\b5\.7\.\d{1,3}\s+(?:<[^>]{0,100}>\S*\s+)?(?:service (?:is |currently )*(?:un|not )"
         r"available|dienst (?:ist )?nicht verf[üu]gbar|service (?:non |in)disponible"
         r"|servicio no disponible|servi[çc]o indispon[íi]vel|servizio non disponibile)"),
    rule("server-busy", 4001,
         r"under maintenance|maintenance mode|risorse (?:\S+ )?non disponibili|memoria esaurita"
         r"|混雑|混み合って|服务器繁忙|伺服器忙碌"
         r"|ressources (?:\S+ )?(?:insuffisantes"
         r"|indisponibles)|m[ée]moire insuffisante|recursos (?:\S+ )?(?:insuficientes"
         r"|no disponibles|indispon[íi]veis)|mem[óo]ria insuficiente"
         r"|ressourcen (?:\S+ )?nicht verf[üu]gbar"
         r"|nicht gen[üu]gend arbeitsspeicher"
         r"|too busy|server (?:is )?busy|server unavailable\b|smtp server (?:is )?not available"
         r"|(?:mta|system|server|queue|transfer service|message transfer)\b[^.;]{0,20}\bcongest"
         r"|congestion (?:in|at|on) (?:the )?(?:\S+ ){0,3}(?:mta|system|server|queue|service)\b"
         r"|service (?:currently |is |temporarily )*(?:un|not )"
         r"available|overloaded|out of resources|resources (?:are )?temporarily unavailable"
         r"|system full|(?:insufficient|not enough) (?:system )?(?:storage|disk space|resources)"
         r"|load (?:average )?(?:is )?too high|\bbusy\b|space shortage"
         r"|not accepting connections|queue size too big|queue (?:is )?full|out of memory"
         r"|no space left on device|out of (?:disk|storage) space|\bdisk (?:is )?full\b"
         r"|[üu]berlastet|surcharg[ée]|sobrecargad|sovraccaric|overbelast|przeci[ąa][żz]on"
         r"|перегружен|(?:servidor|serveur|server|serwer|сервер)\w* (?:\S+ )?(?:ocupado|occup[ée]"
         r"|occupato|zaj[ęe]ty|занят)\b"),
    rule("routing-loop", 4999,
         r"routing loop|mail ?loop|hop count|too many hops|loop[- ]detected|loops? back to|looping"
         r"|forwarding loop"
         r"|bounce between two servers|back and forth between (?:the )?(?:servers|hosts|systems)"
         r"|too many [\"']?received:?[\"']? (?:headers|lines)"
         r"|number of [\"']?received:?[\"']? (?:headers|lines)"
         r"|points to (?:the )?local ?host|to be local\b"
         r"|(?:mail|e-?mail|nachrichten)-?schleife|schleife (?:erkannt|entdeckt)|zu viele hops"
         r"|boucle (?:de (?:messagerie|courrier|routage|distribution)|d[ée]tect[ée]e)"
         r"|bucle (?:de (?:correo|enrutamiento)|detectado)|ciclo (?:di posta|di instradamento)"
         r"|loop di posta|e-?maillus|lus gedetecteerd|p[ęe]tl\w* (?:poczt|routingu|dor[ęe]cz)"
         r"|петл\w* (?:пересылки|почты|доставки|маршрутизации)|почтов\w* петл"
         r"|邮件循环|郵件循環|メールループ|ループを検出"),
    # A Domino router with no route between two of its own Notes domains: its configuration
    # (connection and domain documents), not an unreachable host. Before the connect rows.
    rule("routing-config", 4999,
         r"no route found to domain \S+ from server|check server, connection and domain documents"),
    rule("protocol-error", 4002,
         r"protocol[- ](?:error|violation)|(?:improper|bad) sequence|syntax error"
         r"|command (?:not recognized|unrecognized)|invalid command|lost (?:input )?connection"
         r"|connection reset|(?:smtp|lmtp|command|data|session|rcpt|rcpt handle) timeout"
         r"|timeout after|pipelining|closed (?:the )?connection"
         r"|connection (?:was |has been )?closed|session timed out"
         r"|malformed (?:smtp )?reply|too many (?:unrecognized|nonmail|consecutive|invalid"
         r"|unauthenticated) (?:commands|errors)|unrecognized command|unsupported command"
         r"|\bnot (?:supported|implemented)\b|(?:helo|ehlo)(?:/helo)? (?:first|required)"
         r"|say helo first|use mail before|not yet given|must precede|when not advertised"
         r"|proxy negotiation|multiple destination domains|command line too long"
         r"|^[45]\d\d[ -](?:[45]\.\d{1,3}\.\d{1,3} )?(?:connection |server |session )?"
         r"(?:timed out|timeout)\b(?! (?:on|to|while|during|connecting)\b)"
         r"|(?:invalid|unexpected|bad) greeting"
         r"|conversation with \S+ timed out|timed out while (?:sending|receiving)"
         r"|connection died|greeting failed|syntax should be|error (?:reading|writing)"
         r"|i/o timeout|broken pipe|unexpected eof|\bbad commands?\b|too many errors"
         r"|bad server response|end of (?:socket )?stream|before (?:the )?(?:smtp )?greeting"
         r"|talking too soon|pregreet|read error|data format error|connection (?:dropped|lost)"
         r"|connection\b[^.;]{0,40}\b(?:was )?interrupted"
         r"|connection\b(?:[^.;]|\.(?=\S)){0,40}?\bwas (?:lost|dropped|reset)\b"
         r"|timeout (?:waiting|reading|while|during)|idle timeout"
         r"|(?:system|host|server) (?:is )?no longer responding"
         r"|connection (?:broken|interrupted|aborted) (?:during|while|in)"
         r"|(?:server|service) (?:shut ?down|shutting down|restart\w*) (?:during|while)"
         r"|early[- ]?talk|verbinding\b[^.;]{0,40}?\bverbroken"
         r"|verbindung\b[^.;]{0,40}?\b(?:getrennt|abgebrochen)"
         r"|connexion\b[^.;]{0,40}?\b(?:interrompue|coup[ée]e)"
         r"|conexi[óo]n\b[^.;]{0,40}?\binterrumpida"
         r"|connessione\b[^.;]{0,40}?\binterrotta|conex[ãa]o\b[^.;]{0,40}?\binterrompida"
         r"|po[łl][ąa]czenie\b[^.;]{0,40}?\b(?:zerwane|przerwane)"
         r"|соединение\b[^.;]{0,40}?(?:разорвано|прервано)"),
    rule("protocol-error", 4002,
         r"多个目标(?:网域|域名)|多個目標網域|複数の宛先ドメイン|mehrere zieldom[äa]ins?"
         r"|v[áa]rios dom[íi]nios de destino|varios dominios de destino"
         r"|plusieurs domaines de destination"),
    rule("connection-failed", 4003,
         r"connection (?:refused|timed out)|timed out|no route to host|unreachable"
         r"|all (?:mx|mail) (?:servers|hosts)\b(?:[^.;]|\.(?=\S)){0,30}?(?:unavailable|unreachable"
         r"|failed)"
         r"|not reachable|(?:unable|able|could not|couldn't) to (?:establish|connect)"
         r"|(?<!you )(?:cannot|can't|can not) (?:establish a connection|connect)\b"
         r"|(?:failed|unable) (?:all |\w+ )?attempts? to connect"
         r"|(?:could not|couldn't|unable to) reach (?:the )?(?:recipient'?s? )?(?:mail "
         r"|e-?mail )?server"
         r"|requests to connect|refused to accept (?:a |the |any )?connection"
         r"|refused to talk|socket error|network error|connection timeout"
         r"|(?:unable|failed) to contact (?:the )?(?:destination|remote|receiving)"
         r"|failed connect\(\)|failed to connect\(\)|tcp active open"
         r"|no (?:valid )?route|address family mismatch|(?:did not|didn't) respond"
         r"|not responding|\bno response\b|no answer from|host is down"
         r"|\bconnect(?:ion)? (?:attempt )?failed\b"
         r"|post office (?:is )?(?:closed|down|unavailable|not available)"
         r"|connection to (?:the )?recipients?'? server failed"
         r"|verbindung\b[^.;]{0,40}?\b(?:abgelehnt|verweigert|fehlgeschlagen)|zeit[üu]berschreitung"
         r"|refus[ée] la connexion|(?:servidor|serveur|server|serwer|сервер)\w*\b[^.;]{0,40}?"
         r"(?:no responde|n[ãa]o responde|ne r[ée]pond pas|antwortet nicht|non risponde"
         r"|reageert niet|nie odpowiada|не отвечает|no respondi[óo]|n[ãa]o respondeu"
         r"|n'a pas r[ée]pondu|non ha risposto|hat nicht geantwortet|reageerde niet"
         r"|nie odpowiedzia[łl]|не ответил)|服务器(?:无响应|没有响应)|応答がありません"
         r"|连接.{0,8}?(?:超时|超時)|(?:server|host) took too long to (?:respond|answer)"
         r"|connexion (?:\S+ )?(?:refus[ée]e|impossible|[ée]chou[ée]e)|d[ée]lai d'attente"
         r"|timeout della connessione|nessun server adeguato|tempo limite d[ae] conex[ãa]o"
         r"|tiempo de espera de (?:la )?conexi[óo]n|verbindungs(?:zeit)?[üu]berschreitung"
         r"|injoignable|impossible de (?:se )?(?:connecter|joindre)|no (?:se )?(?:puede|pudo"
         r"|es posible)"
         r" conectar|n[ãa]o foi poss[íi]vel (?:se )?conectar|imposs[íi]vel conectar"
         r"|impossibile (?:connettersi|collegarsi|contattare)|(?:server|mailserver)\w*\b[^.;]{0,40}"
         r"nicht erreichbar|keine verbindung|k[ao]n geen verbinding|niet bereikbaar"
         r"|recusou a conex[ãa]o|rechaz[óo] la conexi[óo]n|a refus[ée] la connexion"
         r"|ha rifiutato la connessione|weigerde de verbinding|odrzuci[łl] po[łl][ąa]czenie"
         r"|отклонил (?:\S+ )?соединение"
         r"|no (?:fue|ha sido|es) posible (?:establecer )?(?:la )?(?:comunicaci[óo]n|conexi[óo]n"
         r"|conectar)|connessione (?:\S+ ){0,4}scadut[ao]"
         r"|nie mo[żz]na (?:si[ęe] )?po[łl][ąa]czy[ćc]|не уда[её]тся (?:подключиться|соединиться)"
         r"|сервер\w* (?:\S+ ){0,3}недоступен|无法连接|無法連接|연결할 수 없"
         r"|aucun serveur (?:appropri[ée]|adapt[ée])|ning[úu]n servidor (?:adecuado|apropiado)"
         r"|kein geeigneter server|nenhum servidor (?:adequado|apropriado)"
         r"|conexi[óo]n (?:\S+ )?(?:rechazada|fallida)|tiempo de espera agotado"
         r"|connessione (?:\S+ )?(?:rifiutata|fallita)|conex[ãa]o (?:\S+ )?(?:recusada|falhou)"
         r"|verbinding (?:\S+ )?(?:geweigerd|mislukt)|连接(?:超时|失败|被拒绝)|拒绝连接|拒絕連接"
         r"|連線被拒|refused (?:the |our |your )?connection|接続(?:できません"
         r"|がタイムアウト|に失敗)"),
    # Our side's TLS policy failing against the receiver: a session fault (rubric 4999).
    rule("tls-failure", 4999,
         r"tls session|certificate (?:verification|verify|invalid|revoked|expired|not)"
         r"|certificate has expired|tls handshake (?:with \S+ )?failed|(?:starttls|tls) negotiation"
         r" failed"
         r"|(?:start ?tls|tls handshake) failed|ssl_connect|\bdane\b|mta-sts|\bsts lookup"
         r"|listed in sans|invalid peer certificate|unknownissuer"
         r"|(?:tls |ssl )?handshake (?:error|failure)|ssl (?:failure|error)"
         r"|certificate(?:'s)? (?:is |has been )?expired|untrusted ?root|self[- ]signed certificate"
         r"|certificate (?:chain )?(?:is )?(?:untrusted|not trusted)"
         r"|failed to (?:establish|negotiate) (?:an? |the )?(?:appropriate |secure )?(?:tls|ssl)"
         r" (?:channel|connection|session)|\btlsa\b|dnssec"
         r"|certificate (?:\S+ ){0,8}(?:could not be|cannot be|was not) found"),
    rule("system-error", 4999,
         r"pipe to \||mailer error|local delivery (?:program|agent) (?:failed|error)"
         r"|command time limit exceeded"
         r"|no transport provider"
         r"|exit (?:status|code) \d|internal (?:server |system |delivery |processing )?error"
         r"|(?:mail )?system error"
         r"|i/o error|configuration error|failed to lock"
         r"|temporary (?:server|system) error|一時的な(?:サーバー?|システム)エラー"
         r"|временн\w* ошибк\w* (?:на )?сервер"
         r"|file format|delivery to (?:file"
         r"|pipe)"
         r" forbidden|qq temporary problem|child process|filters? (?:temporarily )?unavailable"
         r"|alias expansion|address expansion (?:problem|error|failed)|could not be expanded"
         r"|concurrency limit|domain is held"
         r"|(?<!\(and )retry time not (?:yet )?reached(?! for any host after)"
         r"|connection limit reached for (?:all|any) hosts?|no such file or directory"
         r"|\(os error \d+\)|error (?:has )?occurred in (?:our|the) mail system"
         r"|spool (?:is )?(?:unhealthy|full)|error in processing|local (?:error|problem)"
         r"|communications? failure|unable to open mailbox file|misconfigur"
         r"|could not be (?:downgraded|converted)|conversion (?:failed|impractical|not performed)"
         r"|database (?:failure|error)|could not be saved|system failure"
         r"|temporary (?:system|server|backend) (?:problem|error|failure)|backend (?:failure|error)"
         r"|queue file write error"
         r"|(?:open(?:ing)?|creat(?:e|ing)|writ(?:e|ing)|read(?:ing)?|lock(?:ing)?|access(?:ing)?"
         r"|chdir"
         r"|stat)\b[^;]{0,60}: permission denied"
         r"|operating system error|invalid user settings|mail transport (?:unavailable|error)"
         r"|unable to (?:switch|chdir) to|can't create (?:user )?output file|is not a regular file"
         r"|create maildir file|read-only file system|mail to file is restricted"
         r"|file is executable|(?:rspamd|spam|virus) scan (?:error|timeout|failed)"
         r"|failed to process (?:the )?message due to a (?:permanent|transient) exception"
         r"|\b(?:copy|delivery|processing|submission|agent|operation|transfer) failed due to an?"
         r" (?:permanent|transient|internal|unexpected) (?:error|exception|failure)"
         r"|aufgrund eines (?:dauerhaften|vor[üu]bergehenden|internen) fehlers fehlgeschlagen"
         r"|a [ée]chou[ée] en raison d'une (?:erreur|exception) (?:permanente|temporaire|interne)"
         r"|fall[óo] debido a un (?:error|excepci[óo]n) (?:permanente|transitori[oa]|interno)"
         r"|cannot assign requested address|unable[_ ]to[_ ]run[_ ]qmail"),
    rule("system-error", 4999, r"系统错误|系统出错|系統出錯|系統錯誤|システムエラー|内部错误"
         r"|vor[üu]bergehende[sr]? (?:system|server)(?:problem|fehler|st[öo]rung)"
         r"|システムに一時的な(?:問題|障害|エラー)|一時的なシステム(?:の)?(?:問題|障害|エラー)"
         r"|(?:problème|erreur|panne) temporaire (?:du |de |sur le )?(?:système|serveur)"
         r"|(?:problème|erreur|panne) (?:du |de )?(?:système|serveur) temporaire"
         r"|interne[rn]? (?:server)?fehler|serverfehler|erreur interne|error interno|erro interno"
         r"|errore interno|interne (?:server)?fout|serverfout|b[łl][ąa]d wewn[ęe]trzn"
         r"|внутренн\w* ошибк|内部エラー|konfigurationsfehler|erreur de configuration"
         r"|error de configuraci[óo]n|erro de configura[çc][ãa]o|errore di configurazione"
         r"|configuratiefout|b[łl][ąa]d konfiguracji|ошибк\w* конфигурации|配置错误|設定エラー"),
    # The sending system failed while processing the message it was asked to send (Kopano's
    # spooler and others): a local fault, in the languages such notices come in.
    rule("system-error", 4999,
         r"(?:fatal|serious|unexpected) error (?:has )?occurred (?:while|when|during) processing"
         r"|fehler (?:ist )?beim verarbeiten (?:ihrer|der) nachricht"
         r"|erreur (?:fatale )?(?:est survenue )?lors du traitement de (?:votre|ce) message"
         r"|error (?:fatal )?(?:ocurri[óo] )?al procesar (?:su|el) mensaje"
         r"|error\w* (?:\S+ ){0,2}durante l'elaborazione del messaggio"
         r"|erro (?:fatal )?(?:a|ao) processar a (?:sua )?mensagem|erro fatal ocorreu durante o"
         r" processamento|fout (?:is )?opgetreden bij het verwerken van uw bericht"
         r"|k[äa]sitelt[äa]ess[äa] viesti[äa] tapahtui (?:vakava )?virhe"
         r"|hiba t[öo]rt[ée]nt az [üu]zenet feldolgoz[áa]sa k[öo]zben"
         r"|feil ved [åa] behandle (?:meddelse|meddelelse|melding)"
         r"|при обработке (?:вашего )?сообщения произошла ошибка"
         r"|med obdelavo (?:va[šs]ega )?sporo[čc]ila se je pojavila (?:usodna )?napaka"
         r"|chyb\w* p[řr]i zpracov[áa]n[íi] zpr[áa]vy|处理邮件时(?:发生|出现)错误"
         r"|處理郵件時發生錯誤|メッセージの処理中にエラー"),
    # A notice that says the server gave up is final, whatever delay words it also uses ("still
    # undelivered after 4 days, giving up"): before the delay notices below.
    rule("expired", 4004, r"giving up(?! on \d)|has given up|gave up|stopped trying|queue expiry"),
    # Every temporary failure says "try later"; only when nothing more specific is named is the
    # request itself the evidence (seed 000's 3003: the server kept asking us to try later).
    rule("informational-notice", 5999,
         r"temporary problem (?:while )?delivering (?:your|the|this) message"
         r"|will (?:be )?retr(?:y|ied) (?:again )?later"
         r"|will (?:keep trying|retry) for (?:\d+|another) (?:more )?(?:hours?|days?)"
         r"|notified if (?:the )?delivery fails permanently"),
    rule("try-later", 3003, r"try (?:again )?later|temporarily (?:deferred|rejected|refused)"
         r"|temporary (?:failure|error|problem)|temporarily denied|(?:denied|rejected|refused"
         r"|deferred)"
         r" temporarily|temp(?:orary)? (?:problem|fail)|right now"),
    rule("try-later", 3003,
         r"r[ée]essayer plus tard|sp[äa]ter (?:erneut|nochmal|noch einmal)|m[áa]s tarde"
         r"|pi[uù] tardi|mais tarde|p[óo][źz]niej|позже|稍后|稍後|後で|しばらくして"
         r"|essayez (?:[àa] nouveau |de nouveau )?plus tard|later (?:opnieuw|nog eens)"
         r"|vor[üu]bergehend (?:abgelehnt|nicht verf[üu]gbar|zur[üu]ckgewiesen)"),
    rule("try-later", 3003,
         r"(?:rejeit|recus)\w* temporariamente|temporariamente (?:rejeitad|recusad)"
         r"|(?:rechaz|deneg)\w* temporalmente|temporalmente (?:rechazad|denegad)"
         r"|(?:refus|rejet)\w* temporairement|temporairement (?:refus|rejet)"
         r"|(?:rifiutat|respint)\w* temporaneamente|temporaneamente (?:rifiutat|respint)"
         r"|tijdelijk (?:geweigerd|afgewezen)|tymczasowo odrzucon|временно отклон"
         r"|暂时拒绝|暫時拒絕|一時的に拒否"),
    # A delay warning is a deferral: like an ESP's deferral event (docs/ARCHITECTURE.md) it is
    # classified by what it names, the status or the failure being retried ("has been delayed
    # ... did not accept our requests to connect"). Only a notice naming nothing else is
    # informational. Before expiry: a warning says the message has not expired yet.
    rule("informational-notice", 5999,
         r"(?:has been|is being) delayed|warning message only|do not need to resend"
         r"|no action is required|will be retried|will (?:continue to )?(?:retry|try)"
         r"|still trying|delivery (?:is )?delayed|delayed mail|still being retried"
         r"|message (?:was |has been |is )?delayed|will keep (?:on )?(?:trying|retrying)"
         r"|delivered successfully|successful(?:ly)? (?:mail )?deliver|not yet been delivered"
         r"|(?:has been|was) delivered to \S+ successfully"
         r"|has not been delivered yet|attempts will continue|will continue to be made"
         r"|could not send message for past|still undelivered|delay in message delivery"
         r"|warning: delivery time|still undeliverable after \S+ hours?\b"
         r"|\bmessage \S+ delayed (?:\S+ )?(?:hours?|minutes?|days?)\b"
         r"|verz[öo]gert|weiterhin versucht|r[ée]essaierons|retard[ée]e?\b|retrasad[oa]"
         r"|seguir[áa] intentando|ritardat[oa]|atrasad[oa]|vertraagd|awaiting delivery"
         r"|delivery (?:is )?still pending|zur[üu]ckgestellt|noch nicht (?:\S+ ){0,4}zugestellt"
         r"|bis jetzt (?:\S+ ){0,5}nicht zugestellt"
         r"|wird (?:automatisch |sp[äa]ter )?erneut versucht"
         r"|(?:could|can) ?not yet (?:be )?(?:sen[dt]|deliver)|not yet (?:be(?:en)? )?sent\b"
         r"|(?:has|have) been defer+ed|(?:a|ont) [ée]t[ée] diff[ée]r[ée]"
         r"|pas encore pu [êe]tre (?:transmis|remis|livr|distribu|envoy)"
         r"|tentatives (?:(?!ne\b)\S+ ){0,3}(?:vont [êe]tre|seront) effectu"
         r"|(?<!non )(?:verr[àa]|sar[àa])'? (?:ritentat|ripetut|riprovat)"
         r"|(?<!non )(?:verranno|saranno) effettuati (?:altri |nuovi |ulteriori )?tentativi"
         r"|(?<!no )se reintentar[áa]|(?<!no )ser[áa] reintentad"
         r"|(?<!n[ãa]o )ser[áa] (?:re)?tentad|novas? tentativas? (?:\S+ ){0,3}"
         r"(?:ser(?:[áa]|[ãa]o)|v[ãa]o ser) (?:feitas?|realizadas?|efetuadas?)"
         r"|(?:wordt|worden) (?:automatisch )?(?:opnieuw|nogmaals) geprobeerd"
         r"|pas encore (?:[ée]t[ée] )?(?:remis|livr|distribu)"
         r"|a[úu]n no (?:se )?ha (?:sido )?entregad"
         r"|non [èe] ancora stat[oa] consegnat|ainda n[ãa]o (?:foi )?entregue"
         r"|nog niet (?:afgeleverd|bezorgd)|jeszcze nie (?:zosta[łl]a )?dostarczon"
         r"|(?:ещё|еще) не доставлено|будут продолжены|доставк\w* (?:\S+ ){0,3}задерживается"
         r"|todav[íi]a no (?:se )?ha (?:sido )?entregad"
         r"|tentatives seront effectu|continuer(?:ons|a) (?:d'essayer|[àa] essayer)"
         r"|(?:we'll|we will|it will) (?:keep )?(?:retry|try again)"
         r"|held (?:for|until) (?:the )?(?:list )?moderator|awaiting moderator approval"
         r"|held for moderation|(?:awaiting|pending) moderation|still being delivered"
         r"|(?:do not|don't) need to send it again"
         r"|non [èe] (?:stat[oa] ancora|ancora stat[oa]) consegnat|continuer[àa] a (?:tentare"
         r"|provare)|still waiting to be delivered|no further action is (?:required|needed)"
         r"|notification \(delay\)|es werden weitere zustellversuche|bisher nicht zugestellt"
         r"|nicht erneut (?:zu )?(?:senden|versenden)|nie zosta[łl]a jeszcze dostarczon"
         r"|b[ęe]dzie ponawia[łl]|nie musisz (?:\S+ )?wysy[łl]a[ćc] ponownie"
         r"|zat[íi]m nepoda[řr]ilo doru[čc]it|bude pokou[šs]et o doru[čc]en"
         r"|[äa]nnu inte levererats|nya f[öo]rs[öo]k kommer att g[öo]ras"
         r"|hen[üu]z teslim edilemedi|teslim denemeleri s[üu]recek"
         r"|still (?:in|on) the (?:outbound |outgoing |mail |delivery )?queue"
         r"|(?<!not )(?:be|being) retried automatically|taking longer than (?:usual|expected)"
         r"|toujours en (?:file d'attente|attente de remise)|(?<!pas )(?<!ne sera )renvoy[ée]e?"
         r" automatiquement|remise diff[ée]r[ée]e|sigue en (?:la )?cola|entrega demorada"
         r"|(?<!no )se volver[áa] a intentar|continua na fila|entrega adiada"
         r"|(?<!n[ãa]o )ser[áa] reenviad[ao] automaticamente|ancora in coda"
         r"|staat nog in de wachtrij|opó[źz]nione dor[ęe]czenie|(?:wci[ąa][żz]|nadal) czeka"
         r" w kolejce|(?:вс[её] ещ[её]|по-прежнему) в очереди"),
    rule("informational-notice", 5999, r"已成功|成功送达|成功到達|正常に配信|届きました"
         r"|(?:尚未|还未|還未|仍未)(?:投递|送达|投遞|送達)|继续尝试|繼續嘗試|まだ配信されていません|配信が遅延"
         r"|投递延迟|延迟投递|投遞延遲|仍在队列中|仍在隊列中|自动重试|自動重試|配信遅延"
         r"|キューに残って|自動的に再送"
         r"|지연되고 있습니다|다시 보낼 필요"),
    # Expiry wraps whatever kept failing ("connect to ...: timed out ... in the queue too
    # long"); the wrapped symptom or the status names it better, so expiry comes after them.
    rule("expired", 4004,
         r"innerhalb der (?:festgelegten|vorgesehenen|zul[äa]ssigen) (?:frist|zeit)"
         r" nicht zugestellt|weitere zustellversuche werden nicht|dans le d[ée]lai imparti"
         r"|prazo (?:para|de) (?:a )?entrega\b[^.;]{0,30}\bexpirou"
         r"|истекл\w* (?:\S+ )?время доставки"
         r"|срок доставки (?:\S+ ){0,2}ист[её]к|попытки доставки прекращены"
         r"|mancata consegna per sup(?:eramento|\.)? ?(?:dei |del )?temp(?:o|i) massim[oi]"
         r"|d[ée]lai (?:d'expiration|de remise) (?:est )?d[ée]pass[ée]|zustellzeit (?:\S+ )?"
         r"(?:abgelaufen|[üu]berschritten)|tiempo de entrega (?:\S+ )?(?:agotado|excedido|caducado)"
         r"|tempo d[ie] (?:consegna|entrega) (?:\S+ )?(?:scaduto|superato|excedido|esgotado)|"
         r"expired|too old|in the queue too long|retry timeout|retry time exceeded"
         r"|max(?:imum)? (?:delivery |retry )?attempts (?:reached|exceeded)"
         r"|could not be delivered for (?!an? (?:unknown|unspecified)\b)"
         r"|not delivered within|could not deliver for|failing for a long time|giving up(?! on \d)"
         r"|(?:could not|couldn't|cannot|can't) be delivered within"
         r"|(?:deleted|removed|dropped) from (?:the )?(?:mail )?queue"
         r"|failed \d+ attempts|multiple retries|cannot send message (?:for|within)"
         r"|(?<!still )undeliverable after \d+ (?:days?|hours?)"
         r"|\bdelivery time-?out\b(?![^.;]{0,30}\b(?:while|during|waiting|reading|sending|after"
         r"|in reply)\b)|(?:(?:multiple|repeated|several|all|\d+) )?delivery attempts (?:have )?"
         r"(?:all )?failed|(?:delivery )?(?:attempts|retries) (?:were |have been )?exhausted"
         r"|(?:after|over) (?:repeated|several|multiple) (?:delivery )?attempts"
         r"|after a long failure period|can't be delivered in time"
         r"|maximum number of (?:delivery )?attempts|allotted time|time limit specified"
         r"|stopped trying|has given up|gave up|maximum delivery time"
         r"|innerhalb von \d+ (?:tagen|stunden) nicht zugestellt"
         r"|aus der warteschlange (?:entfernt|gel[öo]scht)|(?:mensaje|correo) ha caducado"
         r"|mensagem expirou|expirou ap[óo]s|messaggio [èe] scaduto|tempo massimo di consegna"
         r"|na \d+ (?:dagen|uur) niet (?:worden )?(?:afgeleverd|bezorgd)|bericht is verlopen"
         r"|up[łl]yn[ąa][łl] czas (?:dostarczenia|dor[ęe]czenia)|usuni[ęe]t\w* z kolejki"
         r"|队列中超时|隊列中超時|放弃投递|放棄投遞|(?:配送|配信)期限を(?:過ぎ|超え)"
         r"|전송 시간이 초과"
         r"|no messages transferred to \S+ "
         r"(?:\(host \S+\) )?in \d+ hours?"),
    rule("policy", 1999,
         r"polic(?:y|ies)\b|access denied|not authori[sz]ed|prohibited"
         r"|\bblocked\b"
         r"|message (?:was )?(?:rejected|refused|not allowed|blocked)|service refused"
         r"|message is not welcome"
         r"|administrative prohibition"),
    rule("policy", 1999,
         r"\b(?:refus[ée]|rejet[ée]|rechazad[ao]|rifiutat[ao]|recusad[ao]|abgelehnt"
         r"|geweigerd)\b"),
    rule("policy", 1999, r"odrzucon|отклонен|拒绝|拒絕|拒否"),
    rule("recipient-unavailable", 3999,
         r"(?:mail ?box|recipient|account|user)(?:'s)? (?:is )?(?:temporarily|currently)"
         r" (?:unavailable"
         r"|not available)"
         r"|(?:caixa|buz[óo]n|bo[iî]te|postfach|casella|mailbox|skrzynk|ящик)\w*\b[^.;]{0,30}"
         r"(?:temporariamente indispon|temporalmente no disponible|momentan[ée]ment indisponible"
         r"|vor[üu]bergehend nicht verf[üu]gbar|temporaneamente non disponibile"
         r"|tijdelijk niet beschikbaar|chwilowo niedost[ęe]pn|временно недоступ)"
         r"|(?:邮箱|信箱|郵箱)暂时不可用|メールボックス(?:は|が)一時的に利用できません"),
    # "Could not be found", "not listed in", "does not exist" without saying *what*: probably
    # the address, but the text does not name it, so it is a symptom, counted, not acted on at
    # once (a sender, a server or a policy can be what was not found).
    rule("not-found", 2001,
         r"(?:couldn't|could not) be found|not listed in(?! sans)|verification failed for"
         r"|does ?n'?t exist|存在していない|存在しない|存在しません|見つかりません"
         r"|并不存在|並不存在|不存在|không tồn tại|غير موجود|ne postoji|не съществува|no existeix"
         r"|neexistuje|tidak ditemukan"),
    # A bare "<name.tld> does not exist" may be a sender's or a relay's host as well as the
    # recipient's domain: the text does not say whose.
    rule("host-not-found", 2002, r"(?<![@\w.-])[\w-]+\.[\w.-]+ does not exist"
         r"|(?:host|domain) (?:\S+ )?could not be resolved"),
    # Generic DSN templates ask to check the address whatever failed: a hint, not a cause.
    rule("check-address", 2001,
         r"check (?:if|that|whether) (?:the |this )?(?:e-?mail |recipient(?:'s)? )?address"
         r"(?:es)? (?:is|are) (?:correct|spelled correctly)"),
    rule("mailbox-unavailable", 2001,
         r"(?:mail ?box|account) (?:is )?(?:currently )?(?:unavailable|not available)"),
    rule("recipient-rejected", 2999,
         r"(?:recipients?|rcpt) (?:was|were|has been|have been|is) rejected|no valid recipients"
         r"|recipient address(?:es)? rejected\W*$"
         r"|recipient (?:is )?(?:currently )?unavailable|(?:user|recipient) rejected\b"
         r"|address unavailable|(?:does not|doesn't) like recipient(?![.\s]*remote host said)"
         r"|(?:unable|unavailable) to take delivery"
         r"|recipient\b[^.;]{0,60}\brefused to accept (?:the |this |your )?message"),
    # RFC 3463's names of its class.subject.0 statuses, written out instead of the status
    # ("OTHER OR UNDEFINED PROTOCOL STATUS"): they say what the status would, no more, so they
    # read as the status subject's row does (x.5 a session fault, x.3 and x.4 the system or
    # the network, x.6 and x.7 the message or a policy), last, when nothing else spoke.
    rule("status-name", 4002, r"other or undefined protocol status"),
    rule("status-name", 4999,
         r"other or undefined (?:mail system|network (?:or|and) routing) status"),
    rule("status-name", 1999,
         r"other or undefined (?:media|security (?:or|and) policy) status"),
)
# fmt: on

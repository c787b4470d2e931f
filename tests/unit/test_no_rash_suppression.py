"""Adversarial replies to the rules that can end in a dead address (2xxx) on the grades the
policy acts on at once (text, status): each reply below carries a rule's trigger words, but is
really about the sending side (our IP, domain, sender address, account, authentication, relay),
temporary, hedged, or about a forward, an alias or a list. None may suppress on the first reply:
a good address lost at once is the costliest error (issue #14).

Written from general knowledge of MTA and provider wording, not from corpus records, and labelled
("not at once") before the classifier was run on them. Asserted through the policy's decision."""

import pytest

from app.classify import Evidence, classify
from app.policy import ActionKind, Policy

POLICY = Policy()

# (audited rule or row, smtp code, enhanced status, diagnostic)
REPLIES = [
    # closed (2004): "no longer ..." said of something that is not the recipient
    ("closed", "550", "", "550 The IP address 203.0.113.5 is no longer valid for this service"),
    ("closed", "550", "", "550 Our legacy gateway no longer works; use smtp.example.net instead"),
    ("closed", "550", "", "550 Your API key is no longer valid, please log in to renew it"),
    (
        "closed",
        "",
        "",
        "John Smith has left the company; your message was forwarded to jane@example.org",
    ),
    ("closed", "550", "", "550 Das TLS-Zertifikat ist nicht mehr gültig"),
    ("closed", "550", "", "550 Le certificat du serveur n'est plus valide"),
    ("closed", "550", "", "550 El certificado del servidor ya no es válido"),
    ("closed", "550", "", "550 Il certificato del server non è più valido"),
    ("closed", "550", "", "550 Ihr Passwort ist nicht mehr gültig"),
    ("closed", "550", "", "550 Ce serveur n'accepte plus de messages de votre domaine"),
    ("closed", "550", "", "550 Este servidor ya no acepta correos de su dominio"),
    ("closed", "550", "", "550 Dieser Server nimmt keine Nachrichten mehr an von Ihrem Server"),
    ("closed", "550", "", "550 Votre compte d'envoi a été supprimé pour abus"),
    ("closed", "550", "", "550 La cuenta de envío fue cancelada por su proveedor"),
    ("closed", "550", "", "550 Sending account inactive for too long, contact your provider"),
    ("closed", "550", "", "550 Le domaine d'envoi n'existe plus"),
    ("closed", "550", "", "550 L'adresse de retour n'existe plus"),
    ("closed", "", "", "Mailbox no longer in use - please try again later, it is being migrated"),
    # user-unknown (2001): authentication, sender callouts, our own headers
    ("user-unknown", "535", "", "535 Unknown user or bad password"),
    ("user-unknown", "535", "", "535 Account does not exist"),
    ("user-unknown", "535", "", "535 User not found"),
    ("user-unknown", "535", "", "535 Not a valid user"),
    ("user-unknown", "530", "", "530 Unknown user; login required"),
    ("user-unknown", "550", "", "550 Unknown user in SMTP AUTH"),
    (
        "user-unknown",
        "550",
        "",
        "550 Callout verification failed for <bounces@news.example.com>: No such user",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 Verification of the return address failed: no such mailbox <bounces@news.example.com>",
    ),
    ("user-unknown", "550", "", "550 Invalid mailbox name in MAIL command"),
    ("user-unknown", "550", "", "550 The address in your Reply-To header does not exist"),
    ("user-unknown", "553", "", "553 Invalid address: your mailer sent a bare LF"),
    ("user-unknown", "550", "", "550 Recipient unknown: lookup timed out, please retry"),
    (
        "user-unknown",
        "550",
        "",
        "550 User unknown (directory server unreachable), retry in 10 minutes",
    ),
    ("user-unknown", "550", "", "550 User lookup failed: LDAP server not responding, try again"),
    ("user-unknown", "", "", "Recipient may not exist, or may be temporarily unavailable"),
    (
        "user-unknown",
        "550",
        "",
        "550 No such user here; mail for this alias now goes to jane@example.org",
    ),
    ("user-unknown", "550", "", "550 Unknown user: list members only, you are not subscribed"),
    ("user-unknown", "550", "", "550 Invalid recipient: this list accepts posts from members only"),
    ("user-unknown", "550", "", "550 Utilisateur inconnu, veuillez réessayer plus tard"),
    ("user-unknown", "", "", "Benutzer unbekannt, bitte versuchen Sie es später erneut"),
    ("user-unknown", "550", "", "550 Usuario desconocido, intente de nuevo más tarde"),
    ("user-unknown", "550", "", "550 Utente sconosciuto, riprovare più tardi"),
    ("user-unknown", "550", "", "550 Użytkownik nie istnieje, spróbuj ponownie później"),
    ("user-unknown", "550", "", "550 Пользователь не найден, попробуйте позже"),
    ("user-unknown", "550", "", "550 用户不存在\uff0c请稍后重试"),
    ("user-unknown", "550", "", "550 Utilisateur inconnu : authentification requise"),
    ("user-unknown", "550", "", "550 Benutzer unbekannt: Authentifizierung fehlgeschlagen"),
    ("user-unknown", "550", "", "550 Usuario desconocido: autenticación requerida"),
    ("user-unknown", "550", "", "550 Utilisateur inconnu : votre adresse IP est bloquée"),
    ("user-unknown", "550", "", "550 Empfänger unbekannt - Ihre IP-Adresse wurde blockiert"),
    ("user-unknown", "550", "", "550 Destinatario desconocido: su servidor está bloqueado"),
    ("user-unknown", "550", "", "550 Adresse invalide : votre serveur est sur liste de blocage"),
    ("user-unknown", "550", "", "550 Mailbox unknown or you are sending from a dynamic IP"),
    (
        "user-unknown",
        "550",
        "",
        "550 Recipient not found: your message was rejected by the gateway policy",
    ),
    ("user-unknown", "550", "", "550 Invalid recipient (relaying denied for your network)"),
    (
        "user-unknown",
        "550",
        "",
        "550 User unknown, or the recipient may be protected by a challenge system",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 The recipient does not exist or does not accept mail from your organisation",
    ),
    # domain-not-found / null-mx (2002): the sending domain, a host of ours, DNS trouble
    (
        "domain-not-found",
        "550",
        "",
        "550 Domain not found: the sending domain has no A or MX record",
    ),
    ("domain-not-found", "550", "", "550 Invalid domain in the return address"),
    ("domain-not-found", "550", "", "550 Unknown domain in the Reply-To header"),
    ("domain-not-found", "550", "", "550 Le domaine d'envoi est inconnu"),
    ("domain-not-found", "550", "", "550 Sending host not found in DNS"),
    ("domain-not-found", "550", "", "550 No such domain: check the domain of your From: line"),
    ("domain-not-found", "550", "", "550 Host not found: DNS server failure, try again"),
    ("domain-not-found", "550", "", "550 Domain not reachable at the moment"),
    (
        "domain-not-found",
        "550",
        "",
        "550 Unroutable address: forwarding to the alias target failed",
    ),
    ("null-mx", "550", "", "550 The domain of your return address does not accept mail"),
    ("null-mx", "550", "", "550 Null MX published by the bounce domain of this message"),
    # bad-syntax (2003): our headers or our protocol
    ("bad-syntax", "553", "", "553 The address in your Reply-To header is malformed"),
    ("bad-syntax", "550", "", "550 Malformed address in the To: header of your message"),
    ("bad-syntax", "501", "", "501 Address syntax error in the MAIL command"),
    ("bad-syntax", "553", "", "553 Invalid characters in address: your client sent 8-bit data"),
    # ambiguous-recipient / esp-suppressed / recipient-restricted (2999)
    ("ambiguous-recipient", "550", "", "550 Ambiguous address in the Reply-To header"),
    ("esp-suppressed", "550", "", "550 Your sending domain is on our suppression list"),
    (
        "recipient-restricted",
        "550",
        "",
        "550 This server is blocking all outside mail from your network",
    ),
    # the exact status rows (status grade)
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Mailbox lookup failed: directory unreachable, please retry",
    ),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Rejected: your IP is listed"),
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Recipient address rejected: verification in progress, retry later",
    ),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Message rejected: the sending domain is unknown"),
    ("5.1.2", "550", "5.1.2", "550 5.1.2 DNS lookup timed out for the destination host"),
    ("5.1.2", "550", "5.1.2", "550 5.1.2 Bad destination host: temporary DNS failure"),
    ("5.1.3", "553", "5.1.3", "553 5.1.3 Bad address syntax in the From header"),
    ("5.1.6", "550", "5.1.6", "550 5.1.6 Recipient has moved; forwarded to jane@example.org"),
    (
        "5.1.10",
        "550",
        "5.1.10",
        "550 5.1.10 Recipient lookup failed: directory service temporarily unavailable",
    ),
]

# A second round, written after the first round's fixes and labelled before any run: the other
# languages the rules speak, and rules the first round touched lightly.
REPLIES += [
    ("user-unknown", "550", "", "550 Account not registered with this relay service"),
    ("user-unknown", "550", "", "550 The sender does not have an account on this system"),
    ("user-unknown", "550", "", "550 Usuário desconhecido, tente novamente mais tarde"),
    ("user-unknown", "550", "", "550 Onbekende gebruiker, probeer het later opnieuw"),
    ("user-unknown", "550", "", "550 Kullanıcı bulunamadı, lütfen daha sonra tekrar deneyin"),  # noqa: RUF001
    ("user-unknown", "550", "", "550 Uživatel neexistuje, zkuste to prosím později"),
    ("user-unknown", "550", "", "550 ユーザが存在しません。しばらくしてから再送してください"),
    ("user-unknown", "550", "", "550 존재하지 않는 사용자입니다. 나중에 다시 시도하십시오"),
    ("user-unknown", "550", "", "550 Usuário desconhecido: o seu servidor está bloqueado"),
    ("user-unknown", "550", "", "550 Onbekende gebruiker: uw domein staat op een zwarte lijst"),
    ("user-unknown", "550", "", "550 Onbekende ontvanger: uw IP-adres is geblokkeerd"),
    ("user-unknown", "550", "", "550 送信元のユーザが存在しません"),
    ("user-unknown", "550", "", "550 Gönderen adresi bulunamadı"),  # noqa: RUF001
    ("user-unknown", "550", "", "550 Adresa odesílatele neexistuje"),
    ("user-unknown", "550", "", "550 Utente sconosciuto: il tuo server è in lista nera"),
    ("user-unknown", "550", "", "550 Utente sconosciuto: autenticazione necessaria"),
    ("user-unknown", "550", "", "550 Nieznany użytkownik: wymagane uwierzytelnienie"),
    ("user-unknown", "550", "", "550 Пользователь не найден: требуется авторизация"),
    ("user-unknown", "550", "", "550 Пользователь не найден: ваш IP-адрес заблокирован"),
    ("user-unknown", "550", "", "550 用户不存在：您的IP已被拒绝"),  # noqa: RUF001
    ("user-unknown", "550", "", "550 Unknown user: our directory could not be consulted"),
    ("user-unknown", "550", "", "550 Invalid user: SMTP login rejected"),
    ("user-unknown", "550", "", "550 No such account for SASL username"),
    ("user-unknown", "550", "", "550 The account you use to send mail does not exist"),
    ("user-unknown", "550", "", "550 User not found in the allowed senders of this group"),
    (
        "user-unknown",
        "550",
        "",
        "550 Address invalid: the message was rejected by our content filter",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 Invalid recipient, probably due to a misconfigured forwarding rule",
    ),
    ("user-unknown", "550", "", "550 Recipient unknown - group accepts mail only from its owners"),
    ("user-unknown", "550", "", "550 No such user: this distribution list is restricted"),
    ("user-unknown", "", "", "The address may be wrong, or the recipient's server may be down."),
    ("closed", "550", "", "550 Conta de envio encerrada por abuso"),
    ("closed", "550", "", "550 Uw verzendaccount bestaat niet meer"),
    ("closed", "550", "", "550 Il dominio mittente non esiste più"),
    ("closed", "550", "", "550 Die Absenderadresse existiert nicht mehr"),
    ("closed", "550", "", "550 Das Relay-Konto ist nicht mehr aktiv"),
    ("closed", "550", "", "550 O certificado do servidor não é mais válido"),
    ("closed", "550", "", "550 Sertifikat sunucusu artık geçerli değil"),  # noqa: RUF001
    ("closed", "550", "", "550 Mailbox no longer accepts mail from your organisation"),
    ("domain-not-found", "550", "", "550 Domínio do remetente desconhecido"),
    ("domain-not-found", "550", "", "550 Domein van afzender bestaat niet"),
    ("domain-not-found", "550", "", "550 Le domaine de votre adresse n'existe pas"),
    ("domain-not-found", "550", "", "550 Unknown domain in the envelope of your message"),
    (
        "domain-not-found",
        "550",
        "",
        "550 Host or domain name not found. Name service error for name=mx.example type=A: "
        "Host not found, try again",
    ),
    (
        "domain-not-found",
        "550",
        "",
        "550 Unrouteable address: the route to this list's host is temporarily down",
    ),
    ("bad-syntax", "553", "", "553 Address syntax error in your SMTP envelope"),
    ("bad-syntax", "553", "", "553 Invalid address format in the return path of your message"),
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Recipient address rejected: your domain has no SPF record",
    ),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Recipient rejected: please retry in a few minutes"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Recipient lookup unavailable at the moment"),
    ("5.1.2", "550", "5.1.2", "550 5.1.2 Destination host lookup unreachable, will retry"),
]

# A third round, on the alternatives the first two did not reach (services and servers said to
# be closed, sessions and lookups, agents and families "not recognised", relays' own users),
# labelled before any run.
REPLIES += [
    ("closed", "550", "", "550 Dieser Dienst ist nicht mehr aktiv"),
    ("closed", "550", "", "550 Ce service n'est plus actif"),
    ("closed", "550", "", "550 Este servicio ya no está activo"),
    ("closed", "550", "", "550 Questo servizio non è più attivo"),
    ("closed", "550", "", "550 Deze dienst is niet meer actief"),
    ("closed", "550", "", "550 Этот сервер больше не используется"),
    ("closed", "550", "", "550 Этот пароль больше не действует"),
    ("closed", "550", "", "550 Ta usługa już nie jest aktywna"),
    ("closed", "550", "", "550 Boîte aux lettres fermée temporairement"),
    ("closed", "550", "", "550 Cuenta cancelada temporalmente por mantenimiento"),
    ("closed", "550", "", "550 Cette boîte n'accepte plus de messages pour le moment"),
    ("closed", "550", "", "550 User session terminated by the server"),
    ("closed", "550", "", "550 Address lookup cancelled after a timeout"),
    ("closed", "550", "", "550 Mailbox locked: another session closed unexpectedly"),
    ("closed", "550", "", "550 Our office has moved to a new address at 5 High Street"),
    ("closed", "550", "", "550 You are not our customer; use your own provider's SMTP server"),
    ("user-unknown", "550", "", "550 Client IP address invalid"),
    ("user-unknown", "550", "", "550 You are not a registered user of this relay"),
    ("user-unknown", "550", "", "550 This client does not have an SMTP account"),
    ("user-unknown", "550", "", "550 Client user agent not recognized"),
    (
        "user-unknown",
        "550",
        "",
        "550 Recipient verification failed: address family not recognized by protocol",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 Recipient verification failed (upstream connection timed out)",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 Recipient verification failed: connection refused by the next hop",
    ),
    ("user-unknown", "550", "", "550 User unknown; connection to the mailbox server was reset"),
    ("user-unknown", "550", "", "550 Unknown recipient: mailbox server busy, too many connections"),
    ("user-unknown", "550", "", "550 No such user or mailbox full"),
    ("user-unknown", "550", "", "550 Invalid recipient: the message is too large for this mailbox"),
    ("domain-not-found", "550", "", "550 Domain not found: DNS timeout while resolving the MX"),
    ("domain-not-found", "550", "", "550 Unrouteable address: SERVFAIL from the name server"),
]

# A fourth round: lists, aliases and forwards whose expansion failed, the exact rows beside a
# sender-side or temporary text, and ESPs' labels, labelled before any run.
REPLIES += [
    ("user-unknown", "550", "5.1.1", "550 5.1.1 Group expansion failed: member unknown"),
    ("user-unknown", "550", "", "550 Mailing list expansion problem: user unknown in list"),
    ("user-unknown", "550", "", "550 Delivery to a list member failed: no such user"),
    ("user-unknown", "550", "", "550 Alias expansion failed: target address unknown"),
    ("user-unknown", "550", "", "550 Forwarding failed: the destination mailbox does not exist"),
    ("user-unknown", "550", "", "550 Unable to forward: no such user at the forwarding target"),
    (
        "user-unknown",
        "",
        "",
        "The group you tried to contact may not exist, or you may not have "
        "permission to post messages to the group.",
    ),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Not delivered: the originating domain is unknown"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Recipient rejected: your server's greeting was invalid"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Message refused: sending MTA not permitted"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Mailbox check deferred, service temporarily overloaded"),
    ("5.1.1", "", "5.1.1", "Delivery failed: the recipient's directory could not be contacted"),
    ("5.1.2", "550", "5.1.2", "550 5.1.2 Unable to resolve the domain of your envelope sender"),
    ("5.1.6", "550", "5.1.6", "550 5.1.6 Mailbox moved; new address is bob@new.example"),
    ("5.1.5", "550", "5.1.5", "550 5.1.5 Address valid; message rejected by local policy"),
    ("provider", "550", "", "550 Mailbox unavailable, try again later"),
]


@pytest.mark.parametrize(("rule", "smtp_code", "status", "diagnostic"), REPLIES)
def test_not_suppressed_at_once(rule: str, smtp_code: str, status: str, diagnostic: str) -> None:
    verdict = classify(Evidence(smtp_code=smtp_code, enhanced_code=status, diagnostic=diagnostic))
    action = POLICY.action_for_code(verdict.code, verdict.grade)
    assert action.kind is not ActionKind.SUPPRESS, (rule, verdict)


# A fifth round: code-less notices in full sentences (webmail, Exchange- and Gmail-like prose),
# labelled before any run.
REPLIES += [
    (
        "user-unknown",
        "",
        "",
        "Your message couldn't be delivered. The address wasn't found, or "
        "the recipient's server refused the connection from your mail server.",
    ),
    (
        "user-unknown",
        "",
        "",
        "We could not find that user right now. The directory was being "
        "updated; please resend in an hour.",
    ),
    (
        "user-unknown",
        "",
        "",
        "Delivery failed: the recipient was not found in the address book "
        "of the relay you used, which only accepts mail from its subscribers.",
    ),
    (
        "user-unknown",
        "",
        "",
        "The user you wrote to is unknown to our backup server, which keeps "
        "your mail until the main server is back.",
    ),
    (
        "user-unknown",
        "",
        "",
        "Undeliverable: the mailbox does not exist on the secondary MX; the "
        "primary server is down for an upgrade.",
    ),
    ("closed", "", "", "The account you sent from has been closed by your administrator."),
    (
        "closed",
        "",
        "",
        "This e-mail address will no longer be monitored after Friday; please "
        "write to support@example.org instead.",
    ),
    (
        "closed",
        "",
        "",
        "Automatic reply: I no longer work on this project. Your e-mail has been "
        "passed to my colleague.",
    ),
    (
        "domain-not-found",
        "",
        "",
        "Delivery failed because the domain of the address you sent "
        "from could not be found in DNS.",
    ),
    (
        "domain-not-found",
        "",
        "",
        "The recipient's domain could not be resolved because our DNS "
        "resolver is currently unavailable.",
    ),
    (
        "bad-syntax",
        "",
        "",
        "Your message was not sent: the address in the Cc field of your "
        "message has a syntax error.",
    ),
    (
        "user-unknown",
        "",
        "",
        "Delivery to the following recipient failed permanently: "
        "bob@example.com. Technical details: 550 No such user - the sender's domain failed SPF",
    ),
]

# A sixth round: "try again later" in the further languages the dead-address rows speak,
# labelled before any run.
REPLIES += [
    ("user-unknown", "550", "", "550 A címzett nem létezik, kérjük próbálja újra később"),
    ("user-unknown", "550", "", "550 Mottagaren finns inte, försök igen senare"),
    ("user-unknown", "550", "", "550 Mottakeren finnes ikke, prøv igjen senere"),
    ("user-unknown", "550", "", "550 Modtageren findes ikke, prøv igen senere"),
    ("user-unknown", "550", "", "550 Vastaanottajaa ei löydy, yritä myöhemmin uudelleen"),
    ("user-unknown", "550", "", "550 Ο παραλήπτης δεν υπάρχει, δοκιμάστε ξανά αργότερα"),  # noqa: RUF001
    ("user-unknown", "550", "", "550 Destinatarul nu există, încercați din nou mai târziu"),
    ("user-unknown", "550", "", "550 Користувача не існує, спробуйте пізніше"),
    ("user-unknown", "550", "", "550 Korisnik ne postoji, pokušajte ponovno kasnije"),
    ("user-unknown", "550", "", "550 Používateľ neexistuje, skúste to neskôr"),
    ("user-unknown", "550", "", "550 Người nhận không tồn tại, vui lòng thử lại sau"),
    ("user-unknown", "550", "", "550 Alamat penerima tidak ditemukan, silakan coba lagi nanti"),
    ("user-unknown", "550", "", "550 المستلم غير موجود، يرجى المحاولة لاحقا"),
    ("user-unknown", "550", "", "550 הנמען אינו קיים, נסה שוב מאוחר יותר"),
    ("user-unknown", "550", "", "550 L'usuari no existeix, torneu-ho a provar més tard"),
]


# Labelled "not at once" before the run of round 4, and then judged otherwise: an alias whose
# only target is dead delivers to no one, so suppressing it at once is right (and the corpus's
# dead addresses in Sendmail's DSNs carry the same "expanded from"). Kept, with its new label.
JUDGED_DEAD = [
    "----- The following addresses had permanent fatal errors -----\n"
    "<target@other.example>\n    (reason: 550 5.1.1 User unknown)\n"
    "    (expanded from: <contact@example.com>)",
]


@pytest.mark.parametrize("diagnostic", JUDGED_DEAD)
def test_alias_to_a_dead_target_is_suppressed(diagnostic: str) -> None:
    verdict = classify(Evidence(diagnostic=diagnostic))
    assert POLICY.action_for_code(verdict.code, verdict.grade).kind is ActionKind.SUPPRESS


# ESP labels (status grade) beside a diagnostic that puts the failure elsewhere.
LABELLED = [
    ("bad-mailbox", "550 5.1.1 Rejected: your IP is on our blocklist"),
    ("bad-mailbox", "550 Mailbox lookup failed, please retry"),
    ("bad-domain", "550 The domain of your From address does not exist"),
    ("invalid address", "553 Invalid address in the MAIL FROM command"),
]


@pytest.mark.parametrize(("label", "diagnostic"), LABELLED)
def test_esp_label_not_suppressed_at_once(label: str, diagnostic: str) -> None:
    verdict = classify(
        Evidence(smtp_code=diagnostic[:3], diagnostic=diagnostic, provider_reason=label)
    )
    action = POLICY.action_for_code(verdict.code, verdict.grade)
    assert action.kind is not ActionKind.SUPPRESS, (label, verdict)


# A seventh round (audit of the rows added since a4eb56f that can give 2xxx at text grade, and
# of the broad ones): a store, table or setting after "user"/"mailbox" that was not found, an
# IP, return or reply-to address in the Polish, Dutch and Japanese dead-address rows, a sending
# or authentication account in the Chinese and Japanese closed rows, no mail server found for
# the domain of something else, a domain unknown on this server only, a dead-address phrase
# quoted in a content verdict. Labelled before any run.
REPLIES += [
    ("user-unknown:word-not-found", "550", "", "550 User database not found"),
    (
        "user-unknown:word-not-found",
        "550",
        "",
        "550 User directory not found, check the LDAP settings of this host",
    ),
    ("user-unknown:word-not-found", "550", "", "550 Mailbox backend not found on this node"),
    (
        "user-unknown:word-not-found",
        "550",
        "",
        "550 Recipient table not found: check virtual_mailbox_maps",
    ),
    (
        "user-unknown:word-not-found",
        "550",
        "",
        "550 Account configuration was not found for this domain",
    ),
    (
        "user-unknown:word-not-found",
        "550",
        "",
        "550 Mailbox store is not found, the volume is not mounted",
    ),
    (
        "user-unknown:not-found-on-server",
        "550",
        "",
        "550 Mailbox not found on this server: the message store is being rebuilt, resend tomorrow",
    ),
    (
        "user-unknown:not-found-on-server",
        "550",
        "",
        "550 Account newsletter not found in the directory of permitted submitters",
    ),
    (
        "user-unknown:local-user",
        "550",
        "",
        "550 Local user for outbound submission not found; sign in with a mailbox of this domain",
    ),
    ("user-unknown:pl", "550", "", "550 Nie znaleziono adresu zwrotnego w nagłówku wiadomości"),
    ("user-unknown:pl", "550", "", "550 Nie znaleziono adresu IP Twojego serwera w odwrotnym DNS"),
    (
        "user-unknown:pl",
        "550",
        "",
        "550 Nie znaleziono adresu serwera LDAP, skontaktuj się z administratorem",
    ),
    ("user-unknown:nl", "550", "", "550 Het IP-adres van uw server is niet bekend in de DNS"),
    ("user-unknown:nl", "550", "", "550 Het retouradres van uw bericht is niet bekend bij ons"),
    ("user-unknown:nl", "550", "", "550 Het adres van de doorstuurserver is niet bekend"),
    ("user-unknown:ja", "550", "", "550 お客様のIPアドレスは登録されていません"),
    ("user-unknown:ja", "550", "", "550 返信先アドレスは登録されていません"),
    (
        "user-unknown:ja",
        "550",
        "",
        "550 接続元のIPアドレスが登録されていません。管理者にお問い合わせください",
    ),
    ("closed:zh", "550", "", "550 您的发信账号已被注销"),
    ("closed:zh", "550", "", "550 您用于SMTP认证的账号已被删除"),
    ("closed:ja", "550", "", "550 SMTP認証に使用されたアカウントは削除されました"),
    ("closed:ja", "550", "", "550 お客様の送信用アカウントは既に削除されました"),
    ("closed:in-service", "550", "", "550 The relay address you used is no longer in service"),
    (
        "closed:in-service",
        "550",
        "",
        "550 This IP address is no longer in service for outbound mail",
    ),
    (
        "domain-not-found:no-mx-found",
        "550",
        "",
        "550 No mail servers found for the domain of the envelope you used",
    ),
    (
        "domain-not-found:no-mx-found",
        "550",
        "",
        "550 No mail server could be found for the domain because of a local DNS error",
    ),
    (
        "domain-not-found:no-mx-found",
        "550",
        "",
        "550 No mail exchanger was found for the domain example.net (resolver "
        "misconfigured on our side)",
    ),
    (
        "domain-not-found:de",
        "550",
        "",
        "550 Die Zieldomäne existiert nicht in unserer Routingtabelle; wir "
        "leiten nur für Kunden weiter",
    ),
    (
        "domain-not-found:es",
        "550",
        "",
        "550 El dominio de destino no existe en este servidor, no hacemos de relé para otros",
    ),
    (
        "null-mx:set-up",
        "550",
        "",
        "550 The domain in your From line is set up not to receive mail, so replies are impossible",
    ),
    (
        "bad-syntax",
        "553",
        "",
        "553 Invalid characters in the address in the To: header of your message",
    ),
    (
        "user-unknown:hyphen",
        "550",
        "",
        "550 Unknown-user-agent: this server refuses scripted submissions",
    ),
    ("user-unknown:hyphen", "550", "", "550 Unknown address family in the connecting socket"),
    ("closed:office", "550", "", "550 The regional office mailbox relay is closed for the weekend"),
    (
        "ambiguous",
        "550",
        "",
        "550 Ambiguous O/R name: the directory is being synchronised, try again tomorrow",
    ),
    ("disabled:forbidden", "550", "", "550 Account forbidden to relay for this destination"),
    ("blocklist-domain:no-access", "550", "", "550 No access for this user from your network"),
    (
        "quoted",
        "550",
        "",
        '550 Message refused: the body quotes "User unknown" bounces sent in '
        "bulk, which our filter treats as backscatter",
    ),
    (
        "quoted",
        "550",
        "",
        "550 Your message contains the text 'mailbox does not exist' too often "
        "and was judged a bounce flood",
    ),
]


# The same round's recall controls: dead addresses worded otherwise, and dead addresses whose
# local part carries a sender-side word (virus-, phishing, blacklist, dmarc, spam, relay), which
# must neither be taken for a verdict on us nor doubted. Labelled before any run.
MUST_SUPPRESS = [
    ("550", "", "550 5.1.1 Sorry, nobody here goes by jane.doe: no such user"),
    ("550", "", "550 User jdoe is not found on this server"),
    ("550", "", "550 Mailbox jdoe@example.com was not found in the directory"),
    ("550", "5.1.1", "550 5.1.1 Local user <jdoe> not found"),
    ("550", "", "550 Unknown-recipient jdoe@example.com"),
    ("550", "", "550 Nie znaleziono podanego adresu odbiorcy jdoe@example.pl"),
    ("550", "", "550 De ontvanger jdoe@example.nl is bij ons niet bekend"),
    ("550", "", "550 宛先は登録されていません"),
    ("550", "", "550 このメールアドレスは既に削除されました"),
    ("550", "", "550 该邮箱已被注销"),
    ("550", "", "550 Die Zieldomäne example.invalid existiert nicht"),
    ("550", "", "550 No mail servers were found for the recipient's domain example.invalid"),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <virus-reports@example.com>: Recipient address rejected: "
        "User unknown in local recipient table",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <report-phishing@example.com>: Recipient address rejected: "
        "User unknown in local recipient table",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <blacklist-admin@example.com>: Recipient address rejected: "
        "User unknown in local recipient table",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <dmarc-reports@example.com>: Recipient address rejected: "
        "User unknown in local recipient table",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <spam@example.com>: Recipient address rejected: User "
        "unknown in local recipient table",
    ),
    (
        "550",
        "5.1.1",
        "550 5.1.1 <relay@example.com>: Recipient address rejected: User "
        "unknown in local recipient table",
    ),
]


@pytest.mark.parametrize(("smtp_code", "status", "diagnostic"), MUST_SUPPRESS)
def test_plain_dead_address_is_suppressed(smtp_code: str, status: str, diagnostic: str) -> None:
    verdict = classify(Evidence(smtp_code=smtp_code, enhanced_code=status, diagnostic=diagnostic))
    assert POLICY.action_for_code(verdict.code, verdict.grade).kind is ActionKind.SUPPRESS, verdict


# Labelled "not at once" in the seventh round and still suppressed at once: no family fix found
# in the time (a gateway's routing table out of date beside a post office unknown; syntax of
# "the envelope you gave" without naming the sender). Kept as known failures.
LEFT = [
    (
        "domain-not-found:post-office",
        "550",
        "",
        "550 Destination post office unknown: the routing table of this gateway is out of date",
    ),
    ("bad-syntax", "553", "", "553 Illegal characters in the local part of the envelope you gave"),
]


@pytest.mark.xfail(strict=True, reason="known rash suppression, left by the seventh round")
@pytest.mark.parametrize(("rule", "smtp_code", "status", "diagnostic"), LEFT)
def test_left_not_suppressed_at_once(
    rule: str, smtp_code: str, status: str, diagnostic: str
) -> None:
    test_not_suppressed_at_once(rule, smtp_code, status, diagnostic)


# An eighth round, labelled before any run: dead-address words beside our sending account,
# tenant, plan or subscription, the envelope's originator, 'your server' in pl, nl, it, pt, ru,
# a hedge in 'may have', and our side in several languages.
REPLIES += [
    ("user-unknown", "550", "", "550 Unknown user: the SMTP login you used does not exist"),
    (
        "user-unknown",
        "550",
        "5.1.1",
        "550 5.1.1 Recipient unknown to the outbound gateway, check your smart host settings",
    ),
    ("user-unknown", "550", "", "550 No such user (in reply to MAIL FROM command)"),
    ("user-unknown", "550", "", "550 The account you are sending from does not exist"),
    ("user-unknown", "550", "", "550 The mailbox you are sending as does not exist on this server"),
    ("user-unknown", "550", "", "550 Mailbox does not exist: the envelope originator is unknown"),
    ("user-unknown", "550", "", "550 No such user: your message was caught by our content filter"),
    ("user-unknown", "550", "", "550 Invalid recipient: too many recipients in one message"),
    ("closed", "550", "", "550 Recipient address no longer valid for your account's sending plan"),
    (
        "user-unknown",
        "550",
        "5.1.1",
        "550 5.1.1 Recipient not found: lookup in the directory timed out",
    ),
    ("user-unknown", "550", "", "550 Benutzer unbekannt: Ihre Absenderadresse ist gesperrt"),
    ("user-unknown", "550", "", "550 Utilisateur inconnu : votre serveur est sur liste noire"),
    ("user-unknown", "550", "", "550 Usuario desconocido: el servidor remitente no tiene PTR"),
    ("user-unknown", "550", "", "550 Пользователь не найден: ваш IP в черном списке"),
    ("user-unknown", "550", "", "550 Usuário desconhecido: seu servidor não tem DNS reverso"),
    ("user-unknown", "550", "", "550 Utente sconosciuto: il vostro server non ha un DNS inverso"),
    ("user-unknown", "550", "", "550 Gebruiker onbekend: uw server heeft geen geldige reverse DNS"),
    ("user-unknown", "550", "", "550 Nieznany użytkownik: Twój serwer nie ma odwrotnego DNS"),
    (
        "user-unknown",
        "550",
        "",
        "550 Recipient unknown. Our records show your server is misconfigured.",
    ),
    ("closed", "550", "", "550 The mailing service for this user was terminated"),
    ("closed", "550", "", "550 Account expired: your trial plan has ended, upgrade to send"),
    ("closed", "550", "", "550 User account closed: your SMTP relay subscription ended"),
    ("closed", "550", "", "550 Mailbox closed: the sending tenant was deprovisioned"),
    (
        "quoted",
        "550",
        "",
        "550 Rejected: the text 'no such user' in your subject line looks like backscatter",
    ),
    ("user-unknown", "550", "", "550 User unknown in the SMTP AUTH database"),
    ("user-unknown", "550", "", "550 Recipient may have moved; user unknown here"),
    (
        "user-unknown",
        "550",
        "",
        "550 Utilisateur inconnu : votre adresse IP n'a pas d'enregistrement inverse",
    ),
    ("user-unknown", "550", "", "550 Nie znaleziono użytkownika: Twoja domena nie ma rekordu SPF"),
    ("user-unknown", "550", "", "550 用户不存在或您的服务器IP被拒绝"),
    (
        "user-unknown",
        "550",
        "",
        "550 ユーザーが見つかりません。お使いのサーバーのIPアドレスは拒否されました",
    ),
]

# The eighth round's recall controls: dead addresses in several languages with the
# address's dots inside the sentence, and local parts that carry a sender-side word.
MUST_SUPPRESS += [
    ("550", "", "550 Mailbox does not exist: bob@example.com"),
    (
        "550",
        "5.1.1",
        "550 5.1.1 Recipient address rejected: undeliverable address: unknown user bob",
    ),
    ("550", "", "550 L'adresse bob@example.fr n'existe pas"),
    ("550", "", "550 Die E-Mail-Adresse bob@example.de existiert nicht"),
    ("550", "", "550 La dirección bob@example.es no existe"),
    ("550", "", "550 O endereço bob@example.com.br não existe"),
    ("550", "", "550 L'indirizzo bob@example.it non esiste"),
    ("550", "", "550 Адрес bob@example.ru не существует"),
    ("550", "", "550 收件人地址不存在"),
    ("550", "5.1.1", "550 5.1.1 <abuse@example.com>: Recipient address rejected: User unknown"),
    ("550", "5.1.1", "550 5.1.1 <junk-mail@example.com>: Recipient address rejected: User unknown"),
    ("550", "5.1.1", "550 5.1.1 <bulk-orders@example.com>: no such user"),
    ("550", "5.1.1", "550 5.1.1 <sender@example.com>: no such user"),
    ("550", "5.1.1", "550 5.1.1 <spf-admin@example.com>: User unknown"),
    ("550", "5.1.1", "550 5.1.1 <noreply-blocked@example.com>: User unknown"),
]


# A ninth round, labelled before any run: exact dead-address statuses (5.1.1, 5.1.2) beside our
# configuration (the submission port, a message-ID's domain), a recipient not yet provisioned,
# a verification pending, a directory being synchronised, an outage or a server down.
REPLIES += [
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Message refused: a URL in it is on our list"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Rejected: message headers are not RFC 5322 compliant"),
    ("5.1.1", "554", "5.1.1", "554 5.1.1 Rejected: message contains a forbidden attachment type"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Mail from your country is not accepted"),
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Recipient address rejected: please use the submission port 587",
    ),
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Not accepted: the recipient only takes mail from its own organisation",
    ),
    (
        "5.1.1",
        "550",
        "5.1.1",
        "550 5.1.1 Mailbox not yet provisioned, please resend in a few minutes",
    ),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Recipient unknown until the directory sync completes"),
    ("5.1.1", "550", "5.1.1", "550 5.1.1 Recipient verification is pending"),
    ("user-unknown", "550", "", "550 Recipient unknown (directory outage in progress)"),
    ("user-unknown", "550", "5.1.1", "550 5.1.1 User unknown (LDAP error 81: server down)"),
    (
        "5.2.1",
        "550",
        "5.2.1",
        "550 5.2.1 The account is being set up; mail will be accepted shortly",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 No such user on the shared host: your message exceeded the hourly quota of your plan",
    ),
    (
        "user-unknown",
        "550",
        "",
        "550 Address does not exist in the allowed recipients of your API key scope",
    ),
    (
        "domain-not-found",
        "550",
        "5.1.2",
        "550 5.1.2 Domain not found: the domain in your message-ID does not resolve",
    ),
    (
        "domain-not-found",
        "550",
        "5.1.2",
        "550 5.1.2 Host unknown: could not resolve the name you gave in HELO",
    ),
    (
        "closed",
        "550",
        "",
        "550 Account closed to new senders; ask the recipient to add you to their contacts",
    ),
    ("closed", "550", "", "550 This mailbox no longer accepts mail from outside the company"),
]

# The ninth round's recall controls.
MUST_SUPPRESS += [
    ("550", "5.1.1", "550 5.1.1 <bob@example.com>... User unknown"),
    ("550", "5.1.1", "550 5.1.1 The recipient's mailbox is not known here"),
    ("550", "", "550 This mailbox has been closed permanently"),
    ("550", "5.1.2", "550 5.1.2 The domain example.invalid does not exist (NXDOMAIN)"),
]


# A tenth round, labelled before any run: a domain that refuses mail only over plain text,
# without TLS, at this time (null-mx's 'does not accept mail' with a condition), a header's
# malformed address, a server blocking mail during a migration, a group open to its members.
REPLIES += [
    ("bad-syntax", "553", "", "553 5.5.4 The address in the From: header is missing a domain"),
    ("bad-syntax", "553", "", "553 Sorry, the address in your To: header is malformed"),
    ("bad-syntax", "553", "", "553 Invalid address format in the Reply-To header"),
    ("bad-syntax", "553", "", "553 Your envelope address is malformed"),
    ("null-mx", "550", "", "550 Domain does not accept mail over plain text connections"),
    ("null-mx", "550", "", "550 The domain does not accept mail without TLS"),
    ("null-mx", "550", "", "550 Domain does not accept mail at this time"),
    ("null-mx", "550", "", "550 Domain does not accept mail from IPv6 hosts"),
    ("null-mx", "550", "", "550 Domain does not accept mail larger than 10 MB"),
    (
        "recipient-restricted",
        "550",
        "",
        "550 Our server is blocking all incoming mail during the migration",
    ),
    ("recipient-restricted", "550", "", "550 This group accepts mail only from its own members"),
]

# The tenth round's recall controls.
MUST_SUPPRESS += [
    ("553", "5.1.3", "553 5.1.3 The recipient address <bob@@example.com> is malformed"),
    ("550", "", "550 5.1.10 The domain example.net publishes a null MX and takes no mail"),
]


# An eleventh round, labelled before any run: a dead-address phrase quoted in a flagged
# message, hedges in other words (seems, apparently, likely, assuming), a service after
# 'account' that does not exist.
REPLIES += [
    (
        "quoted",
        "550",
        "",
        "550 Your message quotes an earlier bounce ('User unknown') and was flagged",
    ),
    (
        "quoted",
        "550",
        "",
        "550 Content filter: the phrase 'account has been deleted' is not permitted in subjects",
    ),
    ("hedged", "550", "", "550 It seems the user does not exist"),
    ("hedged", "550", "", "550 Recipient apparently unknown; the directory returned no answer"),
    ("hedged", "550", "", "550 Unable to verify the recipient, assuming it does not exist"),
    ("hedged", "550", "", "550 The mailbox is likely invalid or the server is misconfigured"),
    ("server-subject", "550", "", "550 Account service does not exist on this host"),
]

# The eleventh round's recall controls.
MUST_SUPPRESS += [
    ("550", "", "550 Sorry, the user bob does not exist here"),
    (
        "550",
        "5.1.1",
        "550 5.1.1 bob@example.com: Recipient address rejected: address does not exist",
    ),
]

# Left by the eleventh round: a server 'for this user' that does not exist reads as the user.
LEFT += [
    (
        "server-subject",
        "550",
        "",
        "550 The mailbox server for this user does not exist in the cluster",
    ),
]


# A twelfth round, labelled before any run: 'your' address or account does not exist in
# Chinese, Japanese, Korean and Russian (our address, rubric R1).
REPLIES += [
    ("user-unknown:zh", "550", "", "550 您的邮箱地址不存在，请检查发送设置"),  # noqa: RUF001
    ("user-unknown:zh", "550", "", "550 您的账号不存在或未开通SMTP服务"),
    ("user-unknown:ja", "550", "", "550 お使いのメールアドレスは存在しません"),
    ("user-unknown:ko", "550", "", "550 귀하의 계정이 존재하지 않습니다"),
    ("user-unknown:ru", "550", "", "550 Ваш адрес не существует в нашей системе"),
]

# The twelfth round's recall controls: the recipient's address in the same languages.
MUST_SUPPRESS += [
    ("550", "", "550 收件人邮箱不存在"),
    ("550", "", "550 宛先のメールアドレスは存在しません"),
    ("550", "", "550 받는 사람의 주소가 존재하지 않습니다"),
]

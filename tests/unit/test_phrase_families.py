"""Phrase families written from the rule-writing part's misses (the whole part's, and rounds
16-19's own): each case is a variant composed for this test (other wording, word order, codes
or none, other languages), not a corpus record."""

import pytest

from app.classify import Classification, Evidence, classify


def _verdict(smtp: str, status: str, text: str) -> Classification:
    return classify(Evidence(smtp_code=smtp, enhanced_code=status, diagnostic=text))


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "", "550 Unknwon recipient"),
        ("550", "", "550 addressee unkown"),
        ("554", "", "554 mailbox (user) dosn't exist"),
        ("550", "", "550 recipient does'nt exist on this server"),
        ("550", "", "550 Requested action not taken: users do not exist"),
        ("", "", "uknown user jdoe@example.org"),
        ("550", "", "LMTP error after RCPT TO:<jdoe@example.org>: 550 address unknown at RCPT"),
    ],
)
def test_a_misspelt_or_terse_dead_address_is_unknown(smtp: str, status: str, text: str) -> None:
    assert _verdict(smtp, status, text).code == 2001


@pytest.mark.parametrize(
    "text",
    ["550 Sender address unkown", "550 sending user dont exist"],
)
def test_a_misspelt_unknown_sender_is_not_read_as_the_recipients(text: str) -> None:
    verdict = classify(Evidence(smtp_code="550", diagnostic=text))
    assert verdict.matched_by != "text:user-unknown"


def test_a_misspelt_dead_domain_is_not_read_as_an_unknown_user() -> None:
    verdict = classify(Evidence(smtp_code="550", diagnostic="550 recipient domain dosn't exist"))
    assert verdict.matched_by != "text:user-unknown"


@pytest.mark.parametrize(
    "text",
    [
        "550 Sorry, the owner never logged in to this mailbox, so it no longer takes mail",
        "550 5.1.1 recipient never signed on to their account",
        "550 This is an abandoned mailbox",
        "550 mailbox at this address has been abandoned",
        "550 5.2.1 Account was deleted due to inactivity",
        "550 The mailbox was closed after 12 months of non-use",
        "550 Postfach wurde wegen Inaktivität gelöscht",
        "550 Adresse supprimée pour cause d'inactivité",
        "550 Buzón eliminado por inactividad",
        "550 Casella chiusa per inattività",
    ],
)
def test_an_address_closed_for_non_use_is_closed(text: str) -> None:
    assert _verdict("550", "", text).code == 2004


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("550 Mailbox disabled because of inactivity", 3002),
        ("550 Account suspended due to inactivity", 3002),
    ],
)
def test_an_account_switched_off_for_inactivity_stays_reversible(text: str, code: int) -> None:
    assert _verdict("550", "", text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "You have never logged in to this service",
        "421 4.4.2 session closed after 300 seconds of inactivity",
    ],
)
def test_non_use_words_about_us_or_a_session_are_not_a_closed_address(text: str) -> None:
    assert _verdict("", "", text).code != 2004


@pytest.mark.parametrize(
    "text",
    [
        "553 invalid TLD in recipient address jdoe@example.notatld",
        "550 5.1.2 the top-level domain of jdoe@example.zz does not exist",
        "550 TLD 'zz' is not valid",
        "unknown top level domain in <jdoe@example.zz>",
    ],
)
def test_a_top_level_domain_that_does_not_exist_is_a_dead_domain(text: str) -> None:
    assert _verdict(text[:3] if text[0].isdigit() else "", "", text).code == 2002


@pytest.mark.parametrize(
    "text",
    [
        "553 5.1.8 Sender domain has an invalid TLD",
        "550 HELO hostname has an unknown TLD",
        "550 From address uses a non-existent top-level domain",
    ],
)
def test_our_own_unknown_top_level_domain_is_ours(text: str) -> None:
    assert _verdict(text[:3], "", text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("451", "4.7.1", "451 4.7.1 Limits on your account have been reached, retry later"),
        ("550", "", "550 The sending limits for your account are exceeded"),
        ("421", "", "421 Message limit for this account exceeded"),
        ("554", "", "554 Your account has hit its daily limit"),
    ],
)
def test_the_senders_account_limits_are_a_rate_limit(smtp: str, status: str, text: str) -> None:
    assert _verdict(smtp, status, text).code == 1006


def test_the_recipients_storage_limit_stays_a_full_mailbox() -> None:
    assert _verdict("552", "", "552 this account has exceeded its storage limit").code == 3001


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("450", "450 发件方的错误命令过多"),
        ("451", "451 發送方出現過多的錯誤指令"),
        ("450", "450 客户端发送超出正常的指令数量"),
        ("421", "421 Too many wrong SMTP commands, bye"),
        ("421", "421 Too much data sent without a line break"),
        ("421", "421 Excessive amount of data sent to the server"),
    ],
)
def test_wrong_or_too_many_commands_are_a_session_fault(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 4002


def test_an_excessive_number_of_connections_stays_a_rate_limit() -> None:
    assert _verdict("421", "", "421 Excessive number of connections from your IP").code == 1006


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("501", "501 <@example.org>: missing or malformed local part"),
        ("550", "550 empty local-part in recipient address"),
        ("553", "553 Recipient rejected: local part is missing"),
        ("550", "550 invalid localpart"),
    ],
)
def test_an_address_without_a_usable_local_part_is_bad_syntax(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 2003


@pytest.mark.parametrize(
    "text",
    [
        "553 sender address: missing local part",
        "553 5.1.7 Sender address rejected: malformed or missing local part",
        "501 MAIL FROM has an empty local-part",
    ],
)
def test_our_own_missing_local_part_is_ours(text: str) -> None:
    assert _verdict(text[:3], "", text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "text", "code"),
    [
        ("452", "452 4.2.1 this message exceeded the recipient's receiving limit", 3003),
        ("451", "451 recipient's inbound limit exceeded", 3003),
        ("550", "550 Sending to external domains is not allowed", 4006),
        ("554", "554 mail to non-local domains is disabled", 4006),
        ("451", "451 error during mbox delivery", 4999),
        ("552", "552 Error in local delivery", 4999),
    ],
)
def test_generalised_single_wording_rows(smtp: str, text: str, code: int) -> None:
    assert _verdict(smtp, "", text).code == code


def test_a_recipient_rate_limit_of_the_sender_is_not_the_recipients() -> None:
    assert _verdict("", "", "recipient rate limit exceeded").code != 3003


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("504", "5.7.4", "504 5.7.4 Session is already using TLS"),
        ("454", "", "454 TLS has already been negotiated"),
        ("503", "5.7.0", "503 5.7.0 STARTTLS already issued"),
    ],
)
def test_starttls_twice_is_a_command_out_of_sequence(smtp: str, status: str, text: str) -> None:
    assert _verdict(smtp, status, text).code == 4002


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("", "", "Unknown receiver"),
        Evidence("550", "", "550 Unknown receiver <jdoe@example.com>"),
        Evidence("550", "5.1.1", "550 5.1.1 No such receiver here"),
        Evidence("", "", "Delivery failed: non-existent receiver jdoe@example.org"),
    ],
)
def test_an_unknown_receiver_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("550", "", "550 User <postmaster> unknown"),
        Evidence("550", "", "host mx.example.org said: 550 Recipient <jdoe@example.org> unknown"),
        Evidence("550", "", "550 mailbox jdoe unknown"),
        Evidence("", "", "addressee <ana@example.net> is unknown"),
    ],
)
def test_a_user_named_then_called_unknown_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001


def test_a_user_called_unknown_with_a_sender_word_in_the_name_is_still_dead():
    # the local part 'abuse' is a name, not the server speaking of abuse by us
    assert classify(Evidence("550", "", "550 User <abuse> unknown")).code == 2001


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        (Evidence("", "", "Account storage limit"), 3001),
        (Evidence("552", "", "552 Recipient storage limit reached, try again later"), 3001),
        (Evidence("", "", "The mailbox's storage limit has been exceeded"), 3001),
        # the user's storage (database) failing is not a full mailbox
        (Evidence("451", "", "451 User database not found"), 4999),
    ],
)
def test_an_accounts_storage_limit_is_a_full_mailbox(evidence, code):
    assert classify(evidence).code == code


@pytest.mark.parametrize(
    ("evidence", "code"),
    [
        (Evidence("", "", "Delivery timeout"), 4004),
        (Evidence("", "", "<jdoe@example.net> Reason: multiple delivery attempts failed"), 4004),
        (Evidence("", "", "All delivery attempts have failed for this recipient"), 4004),
        (Evidence("", "", "Delivery retries exhausted, message returned"), 4004),
        # a timeout inside the session is the session's, not the queue's
        (Evidence("", "", "delivery timeout while sending DATA to mx.example.net"), 4002),
        # a named cause still comes first (rubric R8)
        (
            Evidence(
                "",
                "",
                "multiple delivery attempts failed: connect to mx.example.net"
                "[192.0.2.1]:25: Connection refused",
            ),
            4003,
        ),
    ],
)
def test_a_delivery_that_timed_out_or_ran_out_of_attempts_expired(evidence, code):
    assert classify(evidence).code == code


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("501", "", "501 Domain must resolve"),
        Evidence("", "", "SMTP error after initial connection: 451 domain must exist"),
        Evidence("553", "5.1.8", "553 5.1.8 From: domain must resolve"),
    ],
)
def test_a_domain_that_must_resolve_is_the_senders(evidence):
    assert classify(evidence).code == 1999


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("551", "", "551 Server use forbidden"),
        Evidence("550", "", "550 SMTP use not allowed from your network"),
        Evidence("554", "", "554 Use of this mail server is forbidden, authenticate first"),
    ],
)
def test_a_server_that_forbids_its_use_refuses_the_sender_not_a_dead_address(evidence):
    assert classify(evidence).code == 1999


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("", "", "jdoe@example.org could not be recognized as a valid address"),
        Evidence("", "", "one or more of the addresses could not be recognized as addresses"),
    ],
)
def test_an_address_the_system_cannot_recognise_is_a_dead_address(evidence):
    assert classify(evidence).code == 2001


@pytest.mark.parametrize(
    "text",
    [
        "Adresse nicht gefunden. Die Nachricht an info@example.de wurde nicht zugestellt, weil "
        "die Domain example.de nicht gefunden werden konnte.",
        "Empfängeradresse nicht gefunden: Domäne beispiel.example konnte nicht gefunden werden",
        "Adres niet gevonden: het domein example.nl kan niet worden gevonden.",
        "Dirección no encontrada: no se ha encontrado el dominio example.es",
        "Nie znaleziono adresu: nie znaleziono domeny example.pl",
    ],
)
def test_a_domain_that_could_not_be_found_is_a_dead_domain(text: str) -> None:
    assert _verdict("", "", text).code == 2002


def test_a_senders_domain_not_found_stays_the_senders() -> None:
    text = "550 Absender-Domain example.org wurde nicht gefunden"
    assert _verdict("550", "", text).code // 1000 == 1


def test_an_address_not_found_without_a_domain_stays_an_unknown_user() -> None:
    text = "Die Adresse wurde nicht gefunden, weil die Adresse nicht gefunden wurde"
    assert _verdict("", "", text).code == 2001


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("501", "501 mail from address must be same as authorization user"),
        ("553", "553 5.7.1 Sender address must match the authenticated user"),
        ("550", "550 From address user@example.org does not match the login account"),
        ("550", "550 MAIL FROM must equal the authenticated login"),
        ("501", "501 发件人地址必须与登录账号一致"),
    ],
)
def test_a_sender_that_is_not_the_logged_in_account_is_refused_as_ours(
    smtp: str, text: str
) -> None:
    assert _verdict(smtp, "", text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("471", "471 4.7.1 <a@example.org>: The limits for your account are exceeded. Try later."),
        ("451", "451 Limit for your account has been reached, please try again later"),
        ("421", "421 Your account's sending limit was exceeded, try again later"),
        ("450", "450 Die Limits für Ihr Konto wurden überschritten, später erneut versuchen"),
        ("450", "450 Les limites de votre compte ont été dépassées, réessayez plus tard"),
    ],
)
def test_the_sending_accounts_exceeded_limits_are_our_volume(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 1006


def test_a_mailboxs_exceeded_limit_stays_a_full_mailbox() -> None:
    assert _verdict("552", "", "552 mailbox size limit exceeded").code == 3001


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "5.7.1", "550 5.7.1 Service unavailable"),
        ("554", "", "554 5.7.1 <jdoe@example.org>... Service unavailable"),
        ("550", "", "Remote host said: 550: 5.7.1 Service is unavailable"),
        ("550", "5.7.1", "550 5.7.1 Dienst nicht verfügbar"),
        ("550", "5.7.1", "550 5.7.1 Service non disponible"),
    ],
)
def test_a_policy_status_that_says_only_service_unavailable_is_a_refusal_of_us(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 1999


@pytest.mark.parametrize(
    ("smtp", "status", "text", "code"),
    [
        ("421", "4.3.2", "421 4.3.2 Service unavailable", 4001),
        ("421", "", "421 Service not available, closing transmission channel", 4001),
        (
            "554",
            "5.7.1",
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
            1002,
        ),
    ],
)
def test_service_unavailable_without_a_policy_status_or_with_a_cause_is_unchanged(
    smtp: str, status: str, text: str, code: int
) -> None:
    assert _verdict(smtp, status, text).code == code


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("550", "550 You are not welcome here"),
        ("554", "554 Sorry, you're not welcome on this server"),
        ("421", "421 You cannot connect for another 3 hours."),
        ("550", "550 You may not connect to this host"),
        ("554", "554 Du bist hier nicht willkommen"),
        ("550", "550 Vous n'êtes pas le bienvenu"),
    ],
)
def test_the_connecting_client_turned_away_is_a_block_of_our_host(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code == 1002


@pytest.mark.parametrize(
    ("smtp", "text"),
    [
        ("550", "550 Rejected after DATA: too many hops in the headers"),
        ("", "rejected after DATA: missing Date header. Message discarded."),
        ("554", "554 Message refused after end of DATA by site policy"),
    ],
)
def test_a_message_rejected_after_data_is_refused_as_a_message(smtp: str, text: str) -> None:
    assert _verdict(smtp, "", text).code // 1000 == 1


def test_a_temporary_rejection_after_data_stays_temporary() -> None:
    assert _verdict("451", "", "451 Temporarily rejected after DATA").code // 1000 == 3


def test_a_spam_rejection_after_data_stays_spam() -> None:
    assert _verdict("550", "", "550 Rejected after DATA: spam score too high").code == 1004


@pytest.mark.parametrize(
    "text",
    [
        "Warning: could not yet deliver your message",
        "Your message could not yet be sent to all recipients.",
        "Delivery to the following recipient has been deferred:",
        "Ihre Nachricht konnte noch nicht an den Empfänger zugestellt werden.",
        "Die E-Mail wurde bis jetzt an folgende Adresse nicht zugestellt:",
        "Die Zustellung wird automatisch erneut versucht.",
        "L'envoi vers le destinataire suivant a été différé :",
        "Votre message n'a pas encore pu être remis à tous les destinataires.",
        "De nouvelles tentatives de remise seront effectuées pendant 5 jours.",
        "La consegna verrà ritentata automaticamente.",
        "Verranno effettuati altri tentativi di consegna nelle prossime ore.",
        "El envío se reintentará durante las próximas 48 horas.",
        "A entrega será retentada automaticamente.",
        "Novas tentativas de entrega serão feitas nos próximos dias.",
        "De bezorging wordt automatisch opnieuw geprobeerd.",
    ],
)
def test_a_not_yet_delivered_or_retried_notice_is_a_delay_warning(text):
    assert classify(Evidence("", "", text)).code == 5999


@pytest.mark.parametrize(
    "text",
    [
        "L'invio non è riuscito e non verrà ritentato.",
        "Le message n'a pas pu être remis ; d'autres tentatives ne seront pas effectuées.",
        "Die Zustellung ist fehlgeschlagen und wird nicht erneut versucht.",
        "El mensaje no pudo entregarse y no será reintentado.",
        "A mensagem não foi entregue e não será retentada.",
    ],
)
def test_a_retry_that_is_denied_is_not_a_delay_warning(text):
    assert classify(Evidence("", "", text)).code != 5999


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("550", "", "550 Quarantined/Spam"),
        Evidence("554", "5.7.1", "554 5.7.1 Message quarantined as spam"),
        Evidence("550", "", "550 Blocked / Junk"),
        Evidence("", "", "Delivery failed: spam/rejected by the content filter of example.org"),
    ],
)
def test_a_message_quarantined_or_filtered_as_spam_is_content(evidence):
    assert classify(evidence).code == 1004


def test_your_address_book_is_not_the_senders_address():
    text = "This message was not delivered. Check the names in your address book and resend."
    assert classify(Evidence("", "", text)).code != 1999


def test_your_address_is_still_the_senders():
    evidence = Evidence("550", "", "550 your address is not allowed to send here")
    assert classify(evidence).code // 1000 == 1


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("553", "5.7.1", "553 sorry, that address is not in my validrcptto list (#5.7.1)"),
        ("550", "", "550 recipient not listed in our valid recipients"),
        ("550", "5.7.1", "550 5.7.1 <a@example.org> is not on the list of known users"),
        ("553", "", "553 rejected: address not in the valid recipient table"),
        ("554", "", "554 user@example.org: not in valid_rcptto"),
    ],
)
def test_a_recipient_missing_from_the_servers_valid_list_is_unknown(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 2001


def test_a_sender_refused_by_spf_stays_the_senders() -> None:
    text = "550 5.7.1 Rejected: SPF fail, sender not authorized; not in valid recipients either"
    assert _verdict("550", "5.7.1", text).code // 1000 == 1


def test_relaying_wording_still_wins_over_the_valid_list() -> None:
    text = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"
    assert _verdict("553", "5.7.1", text).code == 4006


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "5.7.103", "550 5.7.103 Archive copy failed due to a permanent error [Stage: X]"),
        ("451", "4.0.0", "451 4.0.0 Delivery failed due to a transient exception"),
        ("550", "", "550 Submission failed due to an internal error"),
        ("", "", "Die Übermittlung ist aufgrund eines dauerhaften Fehlers fehlgeschlagen"),
        ("", "", "La copie a échoué en raison d'une erreur permanente"),
        ("", "", "La entrega falló debido a un error permanente"),
    ],
)
def test_a_receiving_component_that_failed_with_an_error_is_a_system_fault(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 4999


def test_a_full_mailbox_that_failed_to_process_stays_full() -> None:
    text = "554 5.2.2 mailbox full; Delivery failed due to a permanent error: quota exceeded"
    assert _verdict("554", "5.2.2", text).code == 3001


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("450", "4.2.1", "450 4.2.1 You have sent too many mails in the last hour"),
        ("", "4.2.2", "Sender rejected: sender has sent to many emails from different hosts"),
        ("421", "", "421 you sent too many messages, slow down"),
    ],
)
def test_a_sender_who_sent_too_many_is_rate_limited(smtp: str, status: str, text: str) -> None:
    assert _verdict(smtp, status, text).code == 1006


@pytest.mark.parametrize(
    ("smtp", "status", "text"),
    [
        ("550", "", "550 <jdoe@example.org>... Cannot create output: Error 13"),
        ("", "", "reason: could not create (user) output file"),
        ("554", "5.0.0", "554 5.0.0 couldn't create output for jdoe"),
    ],
)
def test_a_delivery_agent_that_cannot_create_its_output_is_a_store_fault(
    smtp: str, status: str, text: str
) -> None:
    assert _verdict(smtp, status, text).code == 4999


@pytest.mark.parametrize(
    "text",
    [
        "== jdoe@example.org R=localuser T=local_delivery defer (-52): Retry time not yet reached",
        "routing defer (-51): retry time not yet reached",
    ],
)
def test_an_exim_retry_state_not_yet_reached_is_the_servers(text: str) -> None:
    assert _verdict("", "", text).code == 4999

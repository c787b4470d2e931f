"""The phrase families round 18's rule-writing part showed missing, each in wordings of our own:
a delay warning that says the message is not delivered yet or will be retried, in the languages
such notices come in (not when the retry is denied); a message quarantined or filtered as spam
written with a slash; and the sender's "your address" that is not "your address book"."""

import pytest

from app.classify import Evidence, classify


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

"""The footer's pages with default texts in French and English, set only where the city
has none. Lines between brackets ("[à compléter : …]") are for the city to fill in; `portail
check --deploy` reports a page that still has one (core.W001)."""

from django.db import migrations

TO_FILL = "[à compléter"
TO_FILL_EN = "[to be completed"

PAGES = {
    ("legal_notice", "fr"): (
        "Mentions légales",
        """Ce portail famille est édité par la collectivité dont le nom et l'adresse figurent en haut de cette page.

Directeur ou directrice de la publication : [à compléter : le maire ou le président, ou son délégué].

Hébergement : [à compléter : nom, adresse et téléphone de l'hébergeur].

Le portail repose sur Portail Famille, logiciel libre publié sous licence GNU Affero General Public License version 3 ou ultérieure.

Les paiements en ligne sont traités par PayFiP, le service de paiement de la Direction générale des Finances publiques : aucune donnée de carte bancaire ne transite par ce portail.""",
    ),
    ("legal_notice", "en"): (
        "Legal notice",
        """This family portal is published by the local authority whose name and address are shown at the top of this page.

Publication director: [to be completed: the mayor or president, or their delegate].

Hosting: [to be completed: the host's name, address and telephone].

The portal runs Portail Famille, free software published under the GNU Affero General Public License version 3 or later.

Online payments are processed by PayFiP, the payment service of the French public finances directorate (DGFiP): no card data passes through this portal.""",
    ),
    ("personal_data", "fr"): (
        "Données personnelles",
        """Responsable du traitement : la collectivité dont le nom et l'adresse figurent en haut de cette page.

Finalité : gérer les inscriptions, les réservations et leur paiement, la facturation, les présences des enfants aux activités périscolaires et extrascolaires, et les démarches des familles. Base légale : l'exécution d'une mission de service public (article 6.1.e du RGPD).

Données traitées : l'identité et les coordonnées des responsables légaux, l'identité et la date de naissance des enfants, les informations de santé utiles à l'accueil (allergies, PAI) que la famille déclare, le quotient familial, les réservations, présences, paiements, avoirs et factures, les démarches et leurs justificatifs, l'historique des actions sur le compte.

Destinataires : les agents habilités du service gestionnaire, chacun selon sa fonction (le pointage ne voit pas les montants, la cuisine ne voit que les effectifs), et le comptable public pour les paiements.

Durée de conservation : le temps de la scolarité de l'enfant dans la collectivité, puis la durée des obligations comptables (10 ans pour les pièces de paiement et de facturation) ; les justificatifs des démarches sont conservés [à compléter : durée décidée par la collectivité].

Vos droits : accès, rectification, effacement dans la limite des obligations légales, limitation et opposition. Délégué à la protection des données : [à compléter : nom et adresse électronique du DPO]. Vous pouvez aussi saisir la CNIL (www.cnil.fr).

Cookies : le portail n'utilise que des cookies nécessaires à son fonctionnement (session, langue, protection des formulaires) ; aucun cookie de mesure d'audience ni de publicité.""",
    ),
    ("personal_data", "en"): (
        "Personal data",
        """Controller: the local authority whose name and address are shown at the top of this page.

Purpose: managing the enrolments, bookings and their payment, invoicing, the children's attendance at school-time and holiday activities, and the families' requests. Legal basis: the performance of a task carried out in the public interest (GDPR article 6.1.e).

Data processed: the identity and contact details of the legal guardians, the children's identity and date of birth, the health information useful to their care (allergies, individual care plan) that the family declares, the quotient familial, the bookings, attendance, payments, credits and invoices, the requests and their documents, the history of the actions on the account.

Recipients: the authorised staff of the service, each according to their role (attendance agents do not see amounts, kitchens only see head counts), and the public accountant for payments.

Retention: while the child attends the authority's activities, then for the accounting obligations (10 years for payment and invoicing records); the requests' documents are kept [to be completed: the duration the authority decides].

Your rights: access, rectification, erasure within the limits of legal obligations, restriction and objection. Data protection officer: [to be completed: the DPO's name and e-mail address]. You may also complain to the CNIL (www.cnil.fr).

Cookies: the portal only uses the cookies it needs to work (session, language, form protection); no audience measurement or advertising cookie.""",
    ),
    ("accessibility", "fr"): (
        "Déclaration d'accessibilité",
        """La collectivité s'engage à rendre ce portail accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.

État de conformité : ce portail est partiellement conforme avec le référentiel général d'amélioration de l'accessibilité (RGAA) version 4.1, en raison des non-conformités et des dérogations énumérées ci-dessous.

Résultats des tests : les parcours des familles (connexion, planning, panier, paiement, documents, démarches) sont vérifiés automatiquement à chaque version du logiciel avec axe-core, au clavier seul, à la souris et sur un écran de téléphone, sans aucune violation grave ou critique. Aucun audit complet des 106 critères du RGAA n'a encore été réalisé : [à compléter : date et résultat de l'audit].

Contenus non accessibles : les documents PDF (détail du panier, ticket, récapitulatif, factures) ne sont pas des PDF balisés ; certains tableaux larges défilent horizontalement ; aucun lecteur d'écran n'a encore été utilisé pour valider les parcours.

Établissement de cette déclaration : [à compléter : date]. Technologies utilisées : HTML, CSS, un peu de JavaScript facultatif (le portail fonctionne sans).

Retour d'information et contact : si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le service gestionnaire (lien « Nous contacter ») pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.

Voies de recours : si vous constatez un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à une fonctionnalité, que vous nous l'avez signalé et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au Défenseur des droits (www.defenseurdesdroits.fr), contacter son délégué dans votre région, ou écrire à : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.""",
    ),
    ("accessibility", "en"): (
        "Accessibility statement",
        """The local authority is committed to making this portal accessible in accordance with article 47 of French law no. 2005-102 of 11 February 2005.

Compliance status: this portal is partially compliant with the French accessibility framework (RGAA) version 4.1, because of the non-compliances and exemptions listed below.

Test results: the families' journeys (login, planning, basket, payment, documents, requests) are checked automatically at each release of the software with axe-core, with the keyboard only, with a mouse and on a phone screen, without any serious or critical violation. No full audit of the RGAA's 106 criteria has been made yet: [to be completed: date and result of the audit].

Content that is not accessible: the PDF documents (basket details, ticket, recap, invoices) are not tagged PDFs; some wide tables scroll sideways; no screen reader has been used to validate the journeys yet.

This statement was made on: [to be completed: date]. Technologies used: HTML, CSS, a little optional JavaScript (the portal works without it).

Feedback and contact: if you cannot access a content or a service, contact the service (the "Contact us" link) to be directed to an accessible alternative or to get the content in another form.

Remedies: if you find an accessibility defect that prevents you from accessing a content or a feature, have reported it to us and did not get a satisfying answer, you may write to the Défenseur des droits (www.defenseurdesdroits.fr), contact its delegate in your region, or write to: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.""",
    ),
    ("terms", "fr"): (
        "Charte d'utilisation",
        """Le portail famille permet aux responsables légaux d'inscrire leurs enfants, de réserver et de payer leurs journées, de payer leurs factures et d'envoyer leurs démarches au service gestionnaire.

Votre compte est personnel : gardez votre mot de passe secret et déconnectez-vous sur un ordinateur partagé. Chaque responsable légal peut avoir son propre compte.

Une réservation n'est confirmée qu'une fois validée et, s'il y a lieu, payée : le ticket de paiement envoyé par courriel fait foi. Les dates limites de réservation et d'annulation de chaque activité sont indiquées sur le planning et dans le guide du portail.

Une annulation faite dans les délais donne un avoir, déduit automatiquement de la réservation suivante. Une journée réservée et non utilisée sans justificatif n'est pas remboursée.

Les informations que vous déclarez (adresse, quotient familial, santé de l'enfant) doivent être exactes ; le service peut demander un justificatif.""",
    ),
    ("terms", "en"): (
        "Terms of use",
        """The family portal lets legal guardians enrol their children, book and pay for their days, pay their invoices and send their requests to the service.

Your account is personal: keep your password secret and log out on a shared computer. Each legal guardian may have their own account.

A booking is only confirmed once validated and, where due, paid: the payment ticket sent by e-mail is the proof. Each activity's booking and cancellation deadlines are shown on the planning and in the portal guide.

A cancellation made in time gives a credit, deducted automatically from the next booking. A day booked and not used without a medical certificate is not refunded.

The information you declare (address, quotient familial, the child's health) must be accurate; the service may ask for a supporting document.""",
    ),
    ("browsers", "fr"): (
        "Navigateurs supportés",
        """Le portail fonctionne avec les deux dernières versions des navigateurs Firefox, Chrome, Edge et Safari, sur ordinateur, tablette et téléphone (à partir de 320 pixels de large).

Il fonctionne aussi sans JavaScript : les formulaires s'envoient normalement, seules quelques aides (comme le total calculé en direct) sont alors absentes.

Les cookies doivent être autorisés pour ce site (session et langue). Les documents sont au format PDF, lisibles avec le lecteur intégré du navigateur.""",
    ),
    ("browsers", "en"): (
        "Supported browsers",
        """The portal works with the last two versions of Firefox, Chrome, Edge and Safari, on computers, tablets and phones (from 320 pixels wide).

It also works without JavaScript: forms are sent normally; only a few aids (such as the total computed as you tick) are then missing.

Cookies must be allowed for this site (session and language). Documents are PDF files, readable with the browser's built-in viewer.""",
    ),
}


def create(apps, schema_editor):
    LegalPage = apps.get_model("core", "LegalPage")
    for (kind, language), (title, body) in PAGES.items():
        LegalPage.objects.get_or_create(
            kind=kind, language=language, defaults={"title": title, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_legalpage")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""Phrases for the synthetic client-feedback corpus (see :mod:`playbook.demo.feedback`).

Sentences are written for this playbook in English and French, per service category and sentiment
(``neg``, ``pos``, ``neu``). Slots in braces are filled at random: ``{dur}`` a waiting time,
``{prog}`` a program, ``{doc}`` a document, ``{day}`` a day. Nothing here is real feedback.
"""

from __future__ import annotations

CATEGORIES = (
    "wait_times",
    "online_account",
    "forms_documents",
    "payments_delays",
    "staff_courtesy",
    "accessibility",
    "language_service",
    "other",
)

SENTENCES: dict[str, dict[str, dict[str, list[str]]]] = {
    "wait_times": {
        "en": {
            "neg": [
                "I waited {dur} on hold before anyone answered.",
                "The line at the office was out the door, we stood there for {dur}.",
                "Waited {dur} in the lobby just to be told to come back {day}.",
                "Your phone line keeps saying high call volumes and then hangs up on me.",
                "It took {dur} to get a callback, this is ridiculous.",
                "Queue was insane. {dur} for a five minute question.",
                "Nobody picks up the phone, I tried every day this week.",
                "The wait for an appointment is now three weeks, too long for a {prog} question.",
            ],
            "pos": [
                "I was in and out in {dur}, much faster than I expected.",
                "Got through on the phone right away this time, thank you.",
                "The appointment system meant almost no wait at the counter.",
            ],
            "neu": [
                "How long is the usual wait for a callback about {prog}?",
                "I waited about {dur}, which I guess is normal in {month}.",
            ],
        },
        "fr": {
            "neg": [
                "J'ai attendu {dur} en ligne avant de parler à quelqu'un.",
                "La file au bureau était interminable, on a attendu {dur}.",
                "Après {dur} d'attente on m'a dit de revenir {day}.",
                "La ligne téléphonique raccroche toujours à cause du volume d'appels.",
                "Ça a pris {dur} pour avoir un rappel, c'est inacceptable.",
                "Personne ne répond au téléphone, j'ai essayé toute la semaine.",
                "Trois semaines pour un rendez-vous, c'est beaucoup trop long pour une question sur {prog}.",
                "Attente beaucoup trop longue au comptoir, {dur} pour une simple signature.",
            ],
            "pos": [
                "Je suis ressorti en {dur}, bien plus vite que prévu.",
                "J'ai eu quelqu'un au téléphone tout de suite cette fois, merci.",
                "Avec le rendez-vous, presque aucune attente au comptoir.",
            ],
            "neu": [
                "Quel est le délai habituel pour un rappel concernant {prog}?",
                "J'ai attendu environ {dur}, ce qui est normal en {month} je suppose.",
            ],
        },
    },
    "online_account": {
        "en": {
            "neg": [
                "I can't sign in to my online account, it keeps asking for the security code.",
                "The password reset link never arrives in my inbox.",
                "My account got locked after two tries and now I have to call.",
                "The two-factor code by text message never comes.",
                "Since the new sign-in page I can't log in at all.",
                "The website says my credentials are invalid but they are correct.",
                "The app crashes every time I try to log in.",
                "I created an account but it won't link to my {prog} file.",
            ],
            "pos": [
                "Signing in with my bank was quick and easy.",
                "The new online account is much simpler, I found everything.",
                "Resetting my password online took two minutes.",
            ],
            "neu": [
                "Can I use my online account to change my address for {prog}?",
                "Is there a way to sign in without a cell phone?",
            ],
        },
        "fr": {
            "neg": [
                "Impossible de me connecter à mon compte en ligne, il demande toujours le code de sécurité.",
                "Le lien pour réinitialiser le mot de passe n'arrive jamais.",
                "Mon compte est bloqué après deux essais et il faut appeler.",
                "Le code de vérification par texto n'arrive jamais.",
                "Depuis la nouvelle page de connexion je ne peux plus entrer dans mon dossier.",
                "Le site dit que mes identifiants sont invalides mais ils sont bons.",
                "L'application plante chaque fois que j'essaie de me connecter.",
                "J'ai créé un compte mais il ne se lie pas à mon dossier {prog}.",
            ],
            "pos": [
                "La connexion avec ma banque a été rapide et facile.",
                "Le nouveau compte en ligne est beaucoup plus simple, j'ai tout trouvé.",
                "J'ai changé mon mot de passe en ligne en deux minutes.",
            ],
            "neu": [
                "Est-ce que je peux changer mon adresse pour {prog} dans mon compte en ligne?",
                "Y a-t-il une façon de se connecter sans téléphone cellulaire?",
            ],
        },
    },
    "forms_documents": {
        "en": {
            "neg": [
                "The {doc} form is confusing, I had to fill it out three times.",
                "Nobody could tell me which documents to bring for my {doc}.",
                "The PDF form won't open on my computer.",
                "I mailed my {doc} two months ago and you say you never received it.",
                "Your form asks for the same information on four different pages.",
                "The instructions on the {doc} are impossible to understand.",
                "They sent my {doc} back because of a missing signature nobody mentioned.",
            ],
            "pos": [
                "The new {doc} form was clear and short.",
                "The checklist of documents to bring was really helpful.",
                "Uploading my documents online worked the first time.",
            ],
            "neu": [
                "Where do I find the form to renew my {doc}?",
                "Do I need to send the original {doc} or is a copy fine?",
            ],
        },
        "fr": {
            "neg": [
                "Le formulaire pour {doc} est mêlant, je l'ai rempli trois fois.",
                "Personne n'a pu me dire quels documents apporter pour {doc}.",
                "Le formulaire PDF ne s'ouvre pas sur mon ordinateur.",
                "J'ai posté ma demande de {doc} il y a deux mois et vous dites ne jamais l'avoir reçue.",
                "Le formulaire demande les mêmes renseignements sur quatre pages différentes.",
                "Les instructions pour {doc} sont incompréhensibles.",
                "On m'a retourné ma demande de {doc} pour une signature manquante dont personne n'a parlé.",
            ],
            "pos": [
                "Le nouveau formulaire pour {doc} est clair et court.",
                "La liste des documents à apporter m'a vraiment aidé.",
                "Le téléversement de mes documents en ligne a fonctionné du premier coup.",
            ],
            "neu": [
                "Où trouver le formulaire pour renouveler {doc}?",
                "Faut-il envoyer l'original de {doc} ou une copie suffit?",
            ],
        },
    },
    "payments_delays": {
        "en": {
            "neg": [
                "My {prog} payment is late again and I have rent to pay.",
                "I still haven't received my payment, it's been {weeks} weeks.",
                "The direct deposit stopped without any explanation.",
                "You cut my {prog} benefits and nobody can tell me why.",
                "My cheque never arrived and I'm told to wait another {weeks} weeks.",
                "The amount I received is wrong, I'm missing almost half.",
                "Processing my {prog} claim is taking forever.",
            ],
            "pos": [
                "My {prog} payment arrived earlier than I expected, thank you.",
                "The direct deposit was set up quickly and the money came on time.",
                "My claim was processed in a week, great job.",
            ],
            "neu": [
                "When is the next {prog} payment date?",
                "How long does it usually take to process a {prog} claim?",
            ],
        },
        "fr": {
            "neg": [
                "Mon paiement de {prog} est encore en retard et j'ai mon loyer à payer.",
                "Je n'ai toujours pas reçu mon paiement depuis {weeks} semaines.",
                "Le dépôt direct a arrêté sans explication.",
                "Vous avez coupé mes prestations de {prog} et personne ne sait pourquoi.",
                "Mon chèque n'est jamais arrivé et on me dit d'attendre encore {weeks} semaines.",
                "Le montant reçu est erroné, il manque presque la moitié.",
                "Le traitement de ma demande de {prog} prend une éternité.",
            ],
            "pos": [
                "Mon paiement de {prog} est arrivé plus tôt que prévu, merci.",
                "Le dépôt direct a été configuré rapidement et l'argent est arrivé à temps.",
                "Ma demande a été traitée en une semaine, bravo.",
            ],
            "neu": [
                "Quelle est la prochaine date de paiement de {prog}?",
                "Combien de temps faut-il pour traiter une demande de {prog}?",
            ],
        },
    },
    "staff_courtesy": {
        "en": {
            "neg": [
                "The agent was rude and hung up on me.",
                "The lady at the counter rolled her eyes and wouldn't listen.",
                "I was treated like a criminal for asking a simple question.",
                "The officer was condescending and impatient with my mother.",
                "Staff were chatting among themselves and ignored us.",
                "The person on the phone gave me wrong information twice.",
            ],
            "pos": [
                "The agent was patient, kind and explained everything.",
                "Huge thanks to the staff, they went above and beyond.",
                "The man at the counter was so helpful and friendly.",
                "Very respectful and professional service today.",
                "She took the time to answer all my questions, excellent service.",
            ],
            "neu": [
                "I would like to speak to a supervisor about my last visit.",
                "Is it possible to ask for the same agent when I call back?",
            ],
        },
        "fr": {
            "neg": [
                "L'agent était impoli et m'a raccroché au nez.",
                "La dame au comptoir a levé les yeux au ciel et ne m'a pas écouté.",
                "On m'a traité comme un criminel pour une simple question.",
                "Le préposé était condescendant et impatient avec ma mère.",
                "Les employés jasaient entre eux et nous ignoraient.",
                "La personne au téléphone m'a donné de mauvaises informations deux fois.",
            ],
            "pos": [
                "L'agente était patiente, gentille et m'a tout expliqué.",
                "Un gros merci au personnel, ils ont fait plus que nécessaire.",
                "Le monsieur au comptoir était tellement aidant et souriant.",
                "Service très respectueux et professionnel aujourd'hui.",
                "Elle a pris le temps de répondre à toutes mes questions, excellent service.",
            ],
            "neu": [
                "J'aimerais parler à un superviseur au sujet de ma dernière visite.",
                "Est-il possible de demander le même agent quand je rappelle?",
            ],
        },
    },
    "accessibility": {
        "en": {
            "neg": [
                "There is no ramp at the entrance, I couldn't get in with my wheelchair.",
                "The website doesn't work with my screen reader.",
                "The automatic door was broken again and there are stairs everywhere.",
                "I'm hard of hearing and there was no other way to reach you than by phone.",
                "The text on the forms is too small to read for seniors.",
                "No sign language interpreter was available for my appointment.",
            ],
            "pos": [
                "Thank you for the large print forms, it made it easy for my father.",
                "The office is fully accessible and staff helped with the accessible entrance.",
                "The website works well with my screen reader now.",
            ],
            "neu": [
                "Do you offer appointments by video with an interpreter?",
                "Is the parking near the office accessible?",
            ],
        },
        "fr": {
            "neg": [
                "Il n'y a pas de rampe à l'entrée, impossible d'entrer en fauteuil roulant.",
                "Le site Web ne fonctionne pas avec mon lecteur d'écran.",
                "La porte automatique était encore brisée et il y a des marches partout.",
                "Je suis malentendant et on ne peut vous joindre que par téléphone.",
                "Le texte des formulaires est trop petit pour les personnes aînées.",
                "Aucun interprète en langue des signes n'était disponible pour mon rendez-vous.",
            ],
            "pos": [
                "Merci pour les formulaires en gros caractères, c'était facile pour mon père.",
                "Le bureau est entièrement accessible et le personnel nous a aidés à l'entrée.",
                "Le site fonctionne bien avec mon lecteur d'écran maintenant.",
            ],
            "neu": [
                "Offrez-vous des rendez-vous par vidéo avec un interprète?",
                "Le stationnement près du bureau est-il accessible?",
            ],
        },
    },
    "language_service": {
        "en": {
            "neg": [
                "I asked for service in English and was told to wait for someone who speaks it.",
                "The English version of the letter was full of mistakes.",
                "Nobody at the office could explain it to me in English.",
                "The phone menu kept switching me to French.",
                "Part of the website is only in French.",
            ],
            "pos": [
                "I was served in English without having to ask, thank you.",
                "Great to have the option of a bilingual agent.",
                "The interpreter service for my parents was excellent.",
            ],
            "neu": [
                "Can I get the letter in English?",
                "Do you offer service in other languages than English and French?",
            ],
        },
        "fr": {
            "neg": [
                "J'ai demandé un service en français et on m'a répondu en anglais.",
                "La version française de la lettre était pleine de fautes.",
                "Personne au bureau ne pouvait m'expliquer en français.",
                "Le menu téléphonique me renvoyait toujours en anglais.",
                "Une partie du site n'est qu'en anglais, c'est inacceptable.",
                "Pas capable d'avoir un agent francophone, on est au Canada quand même.",
            ],
            "pos": [
                "J'ai été servi en français sans avoir à le demander, merci.",
                "Bravo pour l'accueil bilingue au comptoir.",
                "Le service d'interprète pour mes parents était excellent.",
            ],
            "neu": [
                "Est-ce possible de recevoir la lettre en français?",
                "Offrez-vous des services dans d'autres langues que le français et l'anglais?",
            ],
        },
    },
    "other": {
        "en": {
            "neg": [
                "The parking lot is always full.",
                "Why does the government need all this information anyway?",
                "This survey is too long.",
                "Taxes are too high in this country.",
                "Everything is so complicated with you people.",
            ],
            "pos": [
                "Keep up the good work!",
                "Nice new office.",
                "Overall a good experience.",
            ],
            "neu": [
                "What are your hours on holidays?",
                "n/a",
                "Is the office on the second floor now?",
                "Just testing this form.",
                "I have a question about something else entirely.",
                "See my previous message.",
            ],
        },
        "fr": {
            "neg": [
                "Le stationnement est toujours plein.",
                "Pourquoi le gouvernement a besoin de toutes ces informations?",
                "Ce sondage est trop long.",
                "Les impôts sont trop élevés dans ce pays.",
                "Tout est tellement compliqué avec vous autres.",
            ],
            "pos": [
                "Continuez votre beau travail!",
                "Beau nouveau bureau.",
                "Bonne expérience dans l'ensemble.",
            ],
            "neu": [
                "Quelles sont vos heures d'ouverture pendant les fêtes?",
                "s.o.",
                "Le bureau est-il maintenant au deuxième étage?",
                "Je teste ce formulaire.",
                "J'ai une question sur un tout autre sujet.",
                "Voir mon message précédent.",
            ],
        },
    },
}

SLOTS = {
    "en": {
        "dur": ["45 minutes", "2 hours", "3 hrs", "over an hour", "90 min", "two and a half hours", "20 minutes"],
        "prog": ["EI", "CPP", "OAS", "GIS", "CCB", "passport", "child benefit", "student loan"],
        "doc": ["passport", "SIN application", "EI claim", "renewal", "T4", "birth certificate", "record of employment"],
        "day": ["tomorrow", "next week", "Monday", "another day"],
        "weeks": ["3", "four", "6", "two", "8"],
        "month": ["July", "December", "the summer", "tax season"],
    },
    "fr": {
        "dur": ["45 minutes", "2 heures", "3 h", "plus d'une heure", "90 min", "deux heures et demie", "20 minutes"],
        "prog": ["l'AE", "RPC", "SV", "SRG", "l'ACE", "passeport", "l'allocation", "prêt étudiant"],
        "doc": [
            "mon passeport",
            "ma demande de NAS",
            "ma demande d'AE",
            "mon renouvellement",
            "mon relevé d'emploi",
            "mon certificat de naissance",
            "mon T4",
        ],
        "day": ["demain", "la semaine prochaine", "lundi", "une autre journée"],
        "weeks": ["3", "quatre", "6", "deux", "8"],
        "month": ["juillet", "décembre", "été", "période des impôts"],
    },
}

OPENERS = {
    "en": ["", "", "", "Hi, ", "Hello. ", "Good morning, ", "To whom it may concern: ", "So ", "Honestly, ", "Ugh. "],
    "fr": ["", "", "", "Bonjour, ", "Allo, ", "Bonsoir. ", "À qui de droit : ", "Bon, ", "Franchement, ", "Bref. "],
}
CONNECTORS = {
    "en": [" ", " Also, ", " And ", " On top of that, ", " Plus ", " "],
    "fr": [" ", " Aussi, ", " Et ", " En plus, ", " De plus, ", " "],
}
CLOSERS = {
    "en": ["", "", "", " Thanks.", " Please fix this.", " Regards.", " !!!", " Not impressed."],
    "fr": ["", "", "", " Merci.", " Svp réglez ça.", " Bonne journée.", " !!!", " Pas impressionné."],
}

# Personal information, in context. "{x}" is the span; the text around it is not personal information.
PII_CONTEXTS = {
    "en": {
        "PHONE": ["You can reach me at {x}.", "Call me back at {x} please.", "My cell is {x}.", "phone: {x}"],
        "EMAIL": ["My email is {x}.", "Reply to {x}.", "email me at {x} thanks"],
        "SIN": ["My SIN is {x}.", "SIN: {x}", "I gave my social insurance number {x} three times."],
        "POSTAL": ["My postal code is {x}.", "postal code {x}"],
        "ADDRESS": ["I live at {x}.", "Please send it to {x}.", "The office at {x} was closed."],
        "DOB": ["I was born on {x}.", "My date of birth is {x}.", "DOB: {x}"],
        "NAME": [
            "My name is {x}.",
            "The agent, {x}, was on the line.",
            "Mr. {x} handled my file.",
            "Ms. {x} said to write here.",
            "I spoke to {x} on the phone.",
            "Thanks, {x}",
            "{x} at the front desk helped me.",
            "Signed, {x}",
            "agent {x} told me to wait.",
        ],
    },
    "fr": {
        "PHONE": ["Vous pouvez me joindre au {x}.", "Rappelez-moi au {x} svp.", "Mon cellulaire : {x}.", "tél. {x}"],
        "EMAIL": ["Mon courriel : {x}.", "Répondez à {x}.", "écrivez-moi à {x} merci"],
        "SIN": ["Mon NAS est le {x}.", "NAS : {x}", "J'ai donné mon numéro d'assurance sociale {x} trois fois."],
        "POSTAL": ["Mon code postal est {x}.", "code postal {x}"],
        "ADDRESS": ["J'habite au {x}.", "Envoyez-le au {x} svp.", "Le bureau du {x} était fermé."],
        "DOB": ["Je suis né le {x}.", "Ma date de naissance est le {x}.", "Date de naissance : {x}"],
        "NAME": [
            "Je m'appelle {x}.",
            "L'agente {x} était au téléphone.",
            "M. {x} s'occupe de mon dossier.",
            "Mme {x} m'a dit d'écrire ici.",
            "J'ai parlé à {x} au téléphone.",
            "Merci, {x}",
            "{x} au comptoir m'a aidé.",
            "Signé : {x}",
            "l'agent {x} m'a dit d'attendre.",
        ],
    },
}

# Numbers that look like personal information but are not (the adversarial cases).
DISTRACTORS = {
    "en": [
        "I paid ${amount} on {date}.",
        "My file number is {ref}.",
        "Reference number {ref9}.",
        "Confirmation no. {ref10}.",
        "They owe me ${amount}.",
        "I called at 10:30 on {date}.",
        "Case #{ref}",
        "Invoice {ref10} was for ${amount}.",
        "It's the 3rd time since {date}.",
        "I went to the Victoria office.",
        "The Saint-Jérôme office was closed.",
        "Grace period is over?",
        "Will anyone read this?",
        "The Jean-Talon office was better.",
    ],
    "fr": [
        "J'ai payé {amount_fr} $ le {date}.",
        "Mon numéro de dossier est {ref}.",
        "Référence {ref9}.",
        "Numéro de confirmation {ref10}.",
        "Vous me devez {amount_fr} $.",
        "J'ai appelé à 10 h 30 le {date}.",
        "Dossier no {ref}",
        "Facture {ref10} de {amount_fr} $.",
        "C'est la 3e fois depuis le {date}.",
        "Je suis allé au bureau de Sainte-Marie.",
        "Le bureau Guy-Favreau était plein.",
        "Le bureau de la rue Jean-Talon est fermé.",
        "Rose des vents, c'est le nom du centre?",
    ],
}

MIXED = [  # code-switched comments (language label "mixed")
    ("fr", "en"),
    ("en", "fr"),
]

HELD_OUT_GIVEN = [  # given names *not* in the redactor's gazetteer: the hard cases for name recall
    "Oksana",
    "Kwame",
    "Siobhan",
    "Aurèle",
    "Gaëtane",
    "Thi",
    "Bao",
    "Yerlan",
    "Ngozi",
    "Tenzin",
    "Ludivine",
    "Anouk",
    "Maëlle",
    "Oumar",
    "Bertrand",
    "Rosaire",
    "Fabrice",
    "Perpétue",
]
SURNAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Martin",
    "Landry",
    "Hébert",
    "Desjardins",
    "Smith",
    "Brown",
    "Wilson",
    "MacDonald",
    "Taylor",
    "Campbell",
    "Anderson",
    "Johnson",
    "Williams",
    "Thompson",
    "Lee",
    "White",
    "Singh",
    "Patel",
    "Nguyen",
    "Wong",
    "Chen",
    "Kaur",
    "Ahmed",
    "Khan",
    "Mohamed",
    "Sharma",
    "Dhillon",
    "O'Brien",
    "McKenzie",
    "Dubois",
]
STREETS = {
    "en": [
        "Main St.",
        "Bank Street",
        "Maple Ave",
        "King St W",
        "Elm Crescent",
        "Queen Street East",
        "Wellington Rd",
        "Lakeshore Blvd.",
        "Oak Drive",
        "Portage Avenue",
        "Jasper Ave",
    ],
    "fr": [
        "rue Saint-Denis",
        "boulevard Saint-Laurent",
        "chemin du Lac",
        "avenue des Pins Ouest",
        "rue Principale",
        "boul. René-Lévesque Est",
        "rue de la Montagne",
        "rang Saint-Joseph",
        "côte des Neiges",
        "rue Sainte-Catherine",
    ],
}
EMAIL_DOMAINS = ["gmail.com", "hotmail.com", "videotron.ca", "sympatico.ca", "outlook.com", "yahoo.ca", "bell.net"]
AREA_CODES = ["613", "514", "438", "416", "647", "905", "819", "418", "450", "604", "780", "403", "506", "902", "204"]

"""The labelled synthetic message set for measuring Harbour's flags (invented words, no real person).

    .venv/bin/python benchmarks/flag_set.py            # writes benchmarks/data/flags-labelled.jsonl

Written by hand, phrase by phrase, *not* from the rules: the positives include ways of saying each
thing that the rules do not know (so recall is not flattered), and the hard negatives are everyday
messages that share words with a flag ("I could kill for a coffee", "I saw your message", "say hi
to your mum"). Each line of the output is one message:

    {"conv": 3, "day": 1, "who": "suspect", "text": "...", "labels": ["threat_to_kill"]}
    {"conv": 3, "day": 1, "who": "suspect", "text": "...", "labels": [], "hard_negative": true}

Conversations are put together from the lists below with a fixed seed; "contact after being told
to stop" is labelled on the suspect's first message of each day after the client asked for no
contact in that conversation (the rule's own definition, docs/evidence-import.md).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "flags-labelled.jsonl"

POSITIVE: dict[str, list[str]] = {
    "threat_to_kill": [
        "I will kill you",
        "I'm going to kill you, you know that",
        "Im gonna kill u",
        "I swear I'll kill him if I see him near you",
        "You're dead",
        "You are dead when I find you",
        "You'll end up in a box",
        "Ur gonna die for this",
        "I'll murder the pair of you",
        "Going to strangle you with my bare hands",
        "You won't see christmas",
        "No one will find your body",
        "I'm digging your grave tonight",
        "I could kill you for what you did",
        "I'll end you",
        "you wont live to see the summer",
        "If I can't have you nobody will, remember that",
        "I'll put you six feet under",
        "One day you'll stop breathing and it will be me",
        "I want you dead",
        "I'll kill your new boyfriend",
        "I will stab you",
        "I'm going to shoot him",
        "You're next",
        "Your family will be burying you",
    ],
    "threat_to_harm": [
        "I'll smash your face in",
        "I'm going to hurt you",
        "You'll pay for this",
        "Watch your back",
        "I'll burn your house down",
        "Something bad will happen to you",
        "I'm gonna break your legs",
        "I'll make you suffer",
        "Acid in your face is what you deserve",
        "I'll wreck your car",
        "I know people who can sort you out",
        "You'll regret this",
        "I'll slap that smile off your face",
        "Gonna batter him when I see him",
        "I'll ruin your life",
        "Don't make me come round there and show you",
        "You'll get what's coming to you",
        "I'll smash your windows",
        "Keep going and see what happens to your car",
        "I'm going to break your phone and your face",
        "You'll be sorry",
        "I will hurt your mum",
        "Mind your back on the way home",
        "Somebody should teach you a lesson and it'll be me",
    ],
    "self_harm_pressure": [
        "If you leave me I'll kill myself",
        "I can't live without you",
        "I'm going to end it all tonight",
        "You'll be sorry when I'm gone",
        "My blood will be on your hands",
        "I'm going to hurt myself and it's your fault",
        "When I'm dead it'll be your fault",
        "I've got nothing to live for without you",
        "If you don't answer I'll do something stupid",
        "I won't be here tomorrow",
        "I'm going to take my own life",
        "I'll cut myself again if you ignore me",
        "Answer me or I'll end it",
        "I've got the pills here, is that what you want",
        "I won't go on without you",
        "Nothing left to live for now",
        "I'm standing on the bridge, are you happy now",
        "I'll hang myself",
    ],
    "sexual": [
        "Send me pics of you in the shower",
        "I keep thinking about your body",
        "Send nudes",
        "I want to see you naked",
        "You looked so sexy",
        "I'm so horny thinking about you",
        "Show me your tits",
        "I want to sleep with you again",
        "Wear that thong I bought you",
        "I want to fuck you senseless",
        "Send me a photo of you in your underwear",
        "Remember what we did in bed",
        "I'll bend you over when I see you",
        "I still have the videos of us",
        "I want you in lingerie",
        "Take your top off for me on camera",
        "I dream about having sex with you",
        "Your boobs looked great today",
    ],
    "monitoring": [
        "I saw you at the gym",
        "Nice dress today",
        "I know where you live",
        "Who was that guy you were with",
        "Why were you at Tom's house",
        "You left work at 5.42",
        "Your bedroom light is still on",
        "I'm watching you",
        "I followed you home",
        "I'm outside your house",
        "You looked tired at work today",
        "I know what time you leave in the morning",
        "Saw you at Tesco with your sister",
        "I can see you",
        "You got home late last night",
        "Your car is parked outside his flat",
        "Enjoy the cinema with your friend?",
        "Love the new haircut",
        "You were on the 8.15 train again",
        "I spotted your car at the station",
        "Why did you go to the pub after work",
        "That blue coat suits you, saw it this morning",
        "Had a nice time at the party?",
        "I know you're at your mum's",
        "Your location says you're in town",
        "Loving the dress today",
        "I noticed you at the bus stop",
    ],
    "third_party": [
        "Tell your mum to ring me",
        "I spoke to your boss about you",
        "Your sister told me everything",
        "I messaged your friends",
        "I've been to see your dad",
        "Ask your brother to give me a call",
        "I got my mate to follow you",
        "Your neighbour said you went out",
        "I rang your work today",
        "I've written to your manager",
        "Your friend gave me your new number",
        "Give this message to her from me",
        "I went to see your kids at school",
        "Tell your new man I said hello",
        "I texted your cousin last night",
        "Your colleague says you're not well",
        "My sister is going to talk to you",
        "I asked a friend to check on you",
        "Your mum agrees you're being silly",
        "I contacted your landlord about you",
        "Everyone at your gym knows about us now",
        "I'll be speaking to your family",
    ],
    "pleading": [
        "Please just talk to me",
        "Please answer",
        "I love you so much",
        "You're my everything",
        "One more chance, please",
        "Why are you ignoring me",
        "I'll change, I promise",
        "I've changed",
        "We belong together",
        "I miss you",
        "Please pick up",
        "I can't stop thinking about you",
        "I'm begging you",
        "No one will ever love you like I do",
        "You're the love of my life",
        "Please forgive me",
        "please please unblock me",
        "I need you",
        "Just give me five minutes, that's all I ask",
        "Baby please come back",
        "I bought you flowers, they're on your step",
        "We were meant to be",
        "You are my soulmate",
        "I adore you",
    ],
    "demand_to_meet": [
        "Meet me outside tonight",
        "Open the door",
        "We need to talk face to face",
        "Come outside",
        "I'm waiting for you",
        "I'll be outside your work at 5",
        "You have to meet me",
        "I'm on my way to yours",
        "Come down now",
        "Answer the door",
        "I'm not leaving until you come out",
        "See me tomorrow or else",
        "I'm parked round the corner, come out",
        "Meet me at the station at 6",
        "I'll wait by your car",
        "We need to meet tonight",
        "I'm coming round",
        "Come to the window",
        "Be at the park at 8, alone",
        "I'm heading to your flat now",
    ],
}

HARD_NEGATIVE = [
    "I could kill for a coffee",
    "My feet are killing me",
    "You killed it at work today",
    "You're dead to me",
    "This traffic is murder",
    "I'm dead tired",
    "I'll beat you at pool on Friday",
    "I saw your message",
    "I saw you on TV last night",
    "I can see your point",
    "Did you book the sexual health clinic?",
    "Say hi to your mum from me",
    "Come over for dinner on Sunday",
    "I could have killed myself laughing",
    "Dead easy, just follow the signs",
    "Kill the lights when you leave",
    "That film was a killer",
    "I'm dying to see the new series",
    "We watched a murder mystery",
    "I'm going to hurt my back lifting that",
    "The heat is killing me",
    "I'd die for a pizza right now",
    "Break a leg tonight",
    "I'll smash the quiz this week",
    "My mum said dinner is at 6",
    "Please reply to the school email",
    "Please answer the phone when the delivery comes",
    "I love this song so much",
    "I miss the old cafe",
    "Can't wait for the weekend",
    "I saw your post about the dog",
    "Your mum said dinner's at 6",
    "Tell me when you're free",
    "I'll be at the meeting at 9",
    "I need to talk to the bank",
    "Who was that actor in the film?",
    "That was a sexy car",
    "The naked eye can't see it",
    "Moby Dick is so long",
    "Nice weather today",
    "Your parcel came",
    "I'm waiting for the bus",
    "Open the window, it's hot in the office",
    "Meet me at the match with the others",
    "Come out for a drink with the team",
    "The kids loved the park",
    "I'll pay for the tickets",
    "You'll regret it if you miss the show",
    "I'm outside the station, where's the taxi",
    "I know where you work now, you told me",
    "Tell your boss congrats from all of us",
    "I spoke to the landlord about the boiler",
    "Send me the photo of the receipt",
    "Please forward the invoice",
    "I love you too mum",
    "Stop calling me babe lol",
    "The match was a massacre",
    "Killing time before the train",
    "The new manager is dead keen",
    "I watched the game",
    "Can you pick up milk",
    "The shop closes at 5",
    "Happy birthday to your sister",
    "I followed the recipe exactly",
    "I'm following the football",
    "See you at the gym tomorrow?",
    "Your car's MOT is due",
    "Thanks for the lift",
    "The dog needs a walk",
    "I'm dead proud of you",
    "My phone's dying",
    "I'll end the call now",
    "Kill two birds with one stone",
    "The boss will murder me if I'm late",
    "Shoot me a text later",
    "That exam destroyed me",
    "Knock knock, who's there",
    "Open the door for the plumber at 10",
    "I'll wait for your reply on the quote",
    "Please let me know about Sunday",
]

NEUTRAL_SUSPECT = [
    "Hi",
    "Morning",
    "How was your day",
    "What are you up to",
    "Did you get my message",
    "ok",
    "?",
    "Are you there",
    "Just checking in",
    "Hope the weekend's good",
    "Did you see the news",
    "Going to the shop",
    "It's raining again",
    "Happy Friday",
    "Long day",
    "Night",
    "Can we talk about the car insurance",
    "Your post came to mine again",
    "Have you still got my jacket",
    "Any plans for Easter",
]

CLIENT = [
    "I'm busy",
    "Please stop",
    "No",
    "I don't want to talk",
    "Fine",
    "I'm at work",
    "Ok",
    "Not now",
]

STOPS = [
    "Leave me alone",
    "Stop contacting me",
    "Don't message me again",
    "I've blocked your number",
    "I don't want any contact",
    "I'm going to the police",
    "Do not contact me",
    "Stop texting me",
    "I told you to stop",
    "No more contact. This is harassment",
]


VARIANTS = (
    lambda t: t,
    lambda t: t.lower(),
    lambda t: t + "!!",
    lambda t: "Listen. " + t,
    lambda t: t + " x",
    lambda t: t.replace("you", "u").replace("You", "U"),
    lambda t: t.replace("'", "’"),
    lambda t: t.upper(),
)


def build(seed: int = 13, size: int = 1200) -> list[dict[str, object]]:
    """Conversations until there are ``size`` messages; each list is used whole, then again in
    everyday variants (lower case, "u" for "you", curly apostrophes, a kiss, shouting)."""
    rng = random.Random(seed)
    rounds = {"positives": 0, "negatives": 0}

    def refill(kind: str) -> list[tuple[str, str]]:
        variant = VARIANTS[rounds[kind] % len(VARIANTS)]
        rounds[kind] += 1
        if kind == "positives":
            items = [(variant(t), f) for f, texts in POSITIVE.items() for t in texts]
        else:
            items = [(variant(t), "") for t in HARD_NEGATIVE]
        rng.shuffle(items)
        return items

    positives = refill("positives")
    negatives = refill("negatives")
    rows: list[dict[str, object]] = []
    conv = 0
    while len(rows) < size:
        conv += 1
        stopped = False
        flagged_day: int | None = None
        for day in (1, 2, 3):
            for _ in range(rng.randint(4, 7)):
                roll = rng.random()
                if roll < 0.12:
                    who, text, labels = "client", rng.choice(CLIENT), []
                elif roll < 0.17 and conv % 2 == 0 and not stopped:
                    who, text, labels = "client", rng.choice(STOPS), []
                    stopped = True
                    flagged_day = None
                elif roll < 0.45:
                    positives = positives or refill("positives")
                    text, flag = positives.pop()
                    who, labels = "suspect", [flag]
                elif roll < 0.65:
                    negatives = negatives or refill("negatives")
                    who, text, labels = "suspect", negatives.pop()[0], ["hard negative"]
                else:
                    who, text, labels = "suspect", rng.choice(NEUTRAL_SUSPECT), []
                if who == "suspect" and stopped and flagged_day != day:
                    labels = [*labels, "contact_after_stop"]
                    flagged_day = day
                hard = labels == ["hard negative"] or labels == [
                    "hard negative",
                    "contact_after_stop",
                ]
                labels = [x for x in labels if x != "hard negative"]
                row = {"conv": conv, "day": day, "who": who, "text": text, "labels": labels}
                if hard:
                    row["hard_negative"] = True
                rows.append(row)
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} messages to {OUT}")


if __name__ == "__main__":
    main()

"""A generated multi-site corpus whose template lines are known, for the template tests.

Each page is a list of ``(line, is_template)``; paragraphs are separated by blank lines.
Sites put menus, slogans and footers (some with a varying year or counter) on most pages;
content is made of random sentences and headlines, plus things that repeat on purpose: a long
quote on most pages of one site, and a short caption on a minority of pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

WORDS = ("harbour council ferry storm rain market bread school river bridge winter farmers "
         "museum train budget election festival hospital teachers workers village road fish "
         "coast museum library tower garden mayor police court price energy water summer").split()
VERBS = "closes opens delays wins loses plans raises cuts rebuilds celebrates questions faces".split()


@dataclass
class Page:
    url: str | None
    lines: list[list[tuple[str, bool]]]  # paragraphs of (line, is_template)

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(line for line, _ in para) for para in self.lines) + "\n"

    @property
    def html(self) -> str:
        """The page as HTML: each paragraph a <p>, its lines split by <br>."""
        body = "".join("<p>" + "<br>".join(escape(line) for line, _ in para) + "</p>\n" for para in self.lines)
        return f"<!DOCTYPE html><html><head><title>Page</title></head><body><article>\n{body}</article></body></html>"

    def record(self, html: bool = False) -> dict:
        record = {"text": self.html if html else self.text}
        if self.url:
            record["url"] = self.url
        return record


SITES = {
    # host: (pages, template blocks: (probability, lines))
    "harbour-herald.com": (40, [
        (1.0, ["Home", "News", "Sport", "Weather", "Opinion"]),
        (0.95, ["The Harbour Herald: news from the waterfront since 1887"]),
        (0.9, ["© {year} Harbour Herald Ltd. All rights reserved.", "Contact us · Privacy · Terms"]),
        (0.7, ["More from the Herald"]),
        (0.3, ["Most read this week"]),  # on too few pages to be learned: costs recall
    ]),
    "ridgeway-recipes.org": (30, [
        (1.0, ["Jump to recipe", "Print recipe"]),
        (0.85, ["Ridgeway Recipes — cook simply, eat well"]),
        (0.8, ["{n} people saved this recipe", "Pin it | Share it | Email it"]),
    ]),
    "le-port.fr": (25, [
        (1.0, ["Accueil", "Actualités", "Culture", "Économie"]),
        (0.9, ["Le Port, le quotidien de la côte depuis 1952"]),
        (0.75, ["Mentions légales | Plan du site"]),
    ]),
    # Too few pages to learn from: its template must survive.
    "tiny-blog.net": (6, [
        (1.0, ["Tiny Blog", "About me", "Archive"]),
    ]),
}

QUOTE = ("“We will rebuild the harbour wall, whatever it costs and however long it takes,” "
         "the mayor told the council on Monday evening.")
CAPTION = "Photo: Harbour Herald archive"


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 9)
    return f"The {words[0]} {rng.choice(VERBS)} the {' '.join(words[1:])} again this week."


def headline(rng: random.Random) -> str:
    a, b, c = rng.sample(WORDS, 3)
    return f"{a.capitalize()} {rng.choice(VERBS)} {b} {c}"


def content(rng: random.Random, host: str) -> list[list[tuple[str, bool]]]:
    paras = [[(headline(rng), False)]]
    paras += [[(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))), False)] for _ in range(rng.randint(2, 4))]
    if host == "harbour-herald.com" and rng.random() < 0.6:
        paras.insert(2, [(QUOTE, False)])
    if host == "harbour-herald.com" and rng.random() < 0.3:
        paras.insert(1, [(CAPTION, False)])
    return paras


def template_block(rng: random.Random, lines: list[str]) -> list[tuple[str, bool]]:
    return [(line.format(year=rng.randint(2019, 2024), n=rng.randint(2, 900)), True) for line in lines]


def page(rng: random.Random, host: str, i: int, blocks) -> Page:
    head = [template_block(rng, lines) for p, lines in blocks[:2] if rng.random() < p]
    tail = [template_block(rng, lines) for p, lines in blocks[2:] if rng.random() < p]
    prefix = "www." if i % 3 == 0 else ""
    return Page(f"https://{prefix}{host}/{i}", head + content(rng, host) + tail)


def corpus(seed: int = 7) -> list[Page]:
    """The pages of every site, interleaved, plus a few pages without a URL."""
    rng = random.Random(seed)
    pages = [page(rng, host, i, blocks) for host, (n, blocks) in SITES.items() for i in range(n)]
    pages += [Page(None, [[("Home", False)], *content(rng, "")]) for _ in range(5)]
    rng.shuffle(pages)
    return pages

"""Outlet names from web domains: a table of well-known news sites, else a guess from the domain.

>>> outlet_for_url("https://www.themoscowtimes.com/2024/03/22/some-story")
'The Moscow Times'
>>> outlet_for_url("https://news.example-herald.org/story")
'Example Herald'
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

#: Registered domain (without ``www.``) → the outlet's own name.
OUTLETS: dict[str, str] = {
    # wires and agencies
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "afp.com": "AFP",
    "bloomberg.com": "Bloomberg",
    "upi.com": "UPI",
    "dpa.com": "dpa",
    "efe.com": "EFE",
    "ansa.it": "ANSA",
    "kyodonews.net": "Kyodo News",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "interfax.ru": "Interfax",
    "interfax.com": "Interfax",
    "ria.ru": "RIA Novosti",
    "ukrinform.net": "Ukrinform",
    "ukrinform.ua": "Ukrinform",
    "pti.in": "Press Trust of India",
    "aa.com.tr": "Anadolu Agency",
    "yna.co.kr": "Yonhap",
    "en.yna.co.kr": "Yonhap",
    # United States
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "chicagotribune.com": "Chicago Tribune",
    "bostonglobe.com": "The Boston Globe",
    "sfchronicle.com": "San Francisco Chronicle",
    "nypost.com": "New York Post",
    "nydailynews.com": "New York Daily News",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "msnbc.com": "MSNBC",
    "cnbc.com": "CNBC",
    "npr.org": "NPR",
    "pbs.org": "PBS",
    "politico.com": "Politico",
    "axios.com": "Axios",
    "thehill.com": "The Hill",
    "theatlantic.com": "The Atlantic",
    "newyorker.com": "The New Yorker",
    "time.com": "Time",
    "newsweek.com": "Newsweek",
    "vox.com": "Vox",
    "slate.com": "Slate",
    "huffpost.com": "HuffPost",
    "buzzfeednews.com": "BuzzFeed News",
    "propublica.org": "ProPublica",
    "theintercept.com": "The Intercept",
    "motherjones.com": "Mother Jones",
    "vice.com": "Vice",
    "businessinsider.com": "Business Insider",
    "forbes.com": "Forbes",
    "fortune.com": "Fortune",
    "marketwatch.com": "MarketWatch",
    "voanews.com": "Voice of America",
    "rferl.org": "Radio Free Europe/Radio Liberty",
    "csmonitor.com": "The Christian Science Monitor",
    "foreignpolicy.com": "Foreign Policy",
    "defenseone.com": "Defense One",
    "militarytimes.com": "Military Times",
    "semafor.com": "Semafor",
    "thedailybeast.com": "The Daily Beast",
    "wired.com": "Wired",
    "theverge.com": "The Verge",
    "arstechnica.com": "Ars Technica",
    "techcrunch.com": "TechCrunch",
    # United Kingdom and Ireland
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "thetimes.co.uk": "The Times",
    "telegraph.co.uk": "The Telegraph",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "independent.co.uk": "The Independent",
    "dailymail.co.uk": "Daily Mail",
    "mirror.co.uk": "Daily Mirror",
    "thesun.co.uk": "The Sun",
    "express.co.uk": "Daily Express",
    "standard.co.uk": "Evening Standard",
    "inews.co.uk": "i",
    "news.sky.com": "Sky News",
    "sky.com": "Sky News",
    "channel4.com": "Channel 4 News",
    "itv.com": "ITV News",
    "newstatesman.com": "New Statesman",
    "spectator.co.uk": "The Spectator",
    "scotsman.com": "The Scotsman",
    "heraldscotland.com": "The Herald",
    "irishtimes.com": "The Irish Times",
    "independent.ie": "Irish Independent",
    "rte.ie": "RTÉ",
    # Europe
    "dw.com": "Deutsche Welle",
    "spiegel.de": "Der Spiegel",
    "zeit.de": "Die Zeit",
    "faz.net": "Frankfurter Allgemeine Zeitung",
    "sueddeutsche.de": "Süddeutsche Zeitung",
    "welt.de": "Die Welt",
    "bild.de": "Bild",
    "tagesschau.de": "Tagesschau",
    "lemonde.fr": "Le Monde",
    "lefigaro.fr": "Le Figaro",
    "liberation.fr": "Libération",
    "france24.com": "France 24",
    "rfi.fr": "RFI",
    "euronews.com": "Euronews",
    "elpais.com": "El País",
    "elmundo.es": "El Mundo",
    "corriere.it": "Corriere della Sera",
    "repubblica.it": "la Repubblica",
    "nrc.nl": "NRC",
    "volkskrant.nl": "de Volkskrant",
    "politico.eu": "Politico Europe",
    "swissinfo.ch": "Swissinfo",
    "nzz.ch": "Neue Zürcher Zeitung",
    "derstandard.at": "Der Standard",
    "thelocal.com": "The Local",
    "svt.se": "SVT",
    "yle.fi": "Yle",
    "nrk.no": "NRK",
    "kathimerini.gr": "Kathimerini",
    "notesfrompoland.com": "Notes from Poland",
    "balkaninsight.com": "Balkan Insight",
    "euractiv.com": "Euractiv",
    # Russia, Ukraine and the region
    "themoscowtimes.com": "The Moscow Times",
    "meduza.io": "Meduza",
    "novayagazeta.ru": "Novaya Gazeta",
    "novayagazeta.eu": "Novaya Gazeta Europe",
    "verstka.media": "Vyorstka",
    "kommersant.ru": "Kommersant",
    "vedomosti.ru": "Vedomosti",
    "rbc.ru": "RBC",
    "rt.com": "RT",
    "kyivindependent.com": "The Kyiv Independent",
    "kyivpost.com": "Kyiv Post",
    "pravda.com.ua": "Ukrainska Pravda",
    "theinsider.media": "The Insider",
    "currenttime.tv": "Current Time",
    "bellingcat.com": "Bellingcat",
    "occrp.org": "OCCRP",
    "eurasianet.org": "Eurasianet",
    "civil.ge": "Civil Georgia",
    # Middle East and Africa
    "aljazeera.com": "Al Jazeera",
    "aljazeera.net": "Al Jazeera",
    "haaretz.com": "Haaretz",
    "timesofisrael.com": "The Times of Israel",
    "jpost.com": "The Jerusalem Post",
    "arabnews.com": "Arab News",
    "thenationalnews.com": "The National",
    "middleeasteye.net": "Middle East Eye",
    "al-monitor.com": "Al-Monitor",
    "dailysabah.com": "Daily Sabah",
    "hurriyetdailynews.com": "Hürriyet Daily News",
    "ahram.org.eg": "Al-Ahram",
    "news24.com": "News24",
    "mg.co.za": "Mail & Guardian",
    "dailymaverick.co.za": "Daily Maverick",
    "nation.africa": "Nation",
    "premiumtimesng.com": "Premium Times",
    "theafricareport.com": "The Africa Report",
    # Asia and Pacific
    "scmp.com": "South China Morning Post",
    "chinadaily.com.cn": "China Daily",
    "globaltimes.cn": "Global Times",
    "caixinglobal.com": "Caixin",
    "japantimes.co.jp": "The Japan Times",
    "asahi.com": "The Asahi Shimbun",
    "nhk.or.jp": "NHK",
    "asia.nikkei.com": "Nikkei Asia",
    "nikkei.com": "Nikkei",
    "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times",
    "thehindu.com": "The Hindu",
    "hindustantimes.com": "Hindustan Times",
    "indianexpress.com": "The Indian Express",
    "timesofindia.indiatimes.com": "The Times of India",
    "ndtv.com": "NDTV",
    "dawn.com": "Dawn",
    "thediplomat.com": "The Diplomat",
    "straitstimes.com": "The Straits Times",
    "channelnewsasia.com": "CNA",
    "bangkokpost.com": "Bangkok Post",
    "rappler.com": "Rappler",
    "abc.net.au": "ABC News (Australia)",
    "smh.com.au": "The Sydney Morning Herald",
    "theage.com.au": "The Age",
    "theaustralian.com.au": "The Australian",
    "nzherald.co.nz": "The New Zealand Herald",
    "stuff.co.nz": "Stuff",
    "rnz.co.nz": "RNZ",
    # The Americas
    "cbc.ca": "CBC News",
    "theglobeandmail.com": "The Globe and Mail",
    "thestar.com": "Toronto Star",
    "nationalpost.com": "National Post",
    "ctvnews.ca": "CTV News",
    "globalnews.ca": "Global News",
    "folha.uol.com.br": "Folha de S.Paulo",
    "globo.com": "O Globo",
    "clarin.com": "Clarín",
    "lanacion.com.ar": "La Nación",
    "eluniversal.com.mx": "El Universal",
    "buenosairesherald.com": "Buenos Aires Herald",
    "mercopress.com": "MercoPress",
    # fact-checkers and others
    "snopes.com": "Snopes",
    "politifact.com": "PolitiFact",
    "factcheck.org": "FactCheck.org",
    "fullfact.org": "Full Fact",
    "wikinews.org": "Wikinews",
    "en.wikinews.org": "Wikinews",
}

#: Second-level labels under which sites register (``bbc.co.uk``, ``smh.com.au``).
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"}
_HOST_PREFIXES = ("www.", "www1.", "www2.", "m.", "mobile.", "amp.", "edition.", "en.", "english.", "news.")


def domain_of(url: str) -> str | None:
    """The lower-cased host of ``url`` (``www.`` dropped), or None when ``url`` has no host.

    ``url`` may be a full URL or a bare host name."""
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def registered_domain(host: str) -> str:
    """The registrable part of ``host``: ``edition.cnn.com`` → ``cnn.com``,
    ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def guess_name(host: str) -> str:
    """A title-cased outlet name guessed from ``host``: ``example-herald.org`` → ``Example Herald``."""
    label = registered_domain(host).split(".")[0]
    words = [w for w in label.replace("_", "-").split("-") if w]
    return " ".join(w.capitalize() for w in words) or host


def outlet_for_domain(host: str) -> str:
    """The outlet publishing at ``host``: from :data:`OUTLETS` (trying the host, then its parent
    domains), else a title-cased guess from the domain."""
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host[len(prefix) :] in OUTLETS:
            return OUTLETS[host[len(prefix) :]]
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in OUTLETS:
            return OUTLETS[candidate]
    return guess_name(host)


def outlet_for_url(url: str | None) -> str | None:
    """The outlet for the site ``url`` points at, or None when ``url`` is empty or has no host."""
    if not url:
        return None
    host = domain_of(url)
    if not host or "." not in host or _is_ip(host):
        return None
    return outlet_for_domain(host)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True

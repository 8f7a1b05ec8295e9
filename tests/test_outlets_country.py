"""The outlet's home country from an article's URL (:func:`sayso.outlets.country_for_url`)."""

from __future__ import annotations

import pytest

from sayso.outlets import country_for_url


@pytest.mark.parametrize(
    ("url", "country"),
    [
        ("https://www.cbc.ca/news/canada/some-story", "CA"),
        ("https://news.bbc.co.uk/2/hi/uk_news/1.stm", "GB"),
        ("https://www.bbc.com/news/world-us-canada-1", "GB"),
        ("https://www.smh.com.au/national/story", "AU"),
        ("https://www.irishtimes.com/news/a", None),  # a generic domain not in the table
        ("www.rte.ie", "IE"),
        ("https://www.nytimes.com/2024/01/01/us/story.html", "US"),
        ("http://edition.cnn.com/2015/us/story", "US"),
        ("https://www.lfpress.com/news/local-news", "CA"),
        ("https://www.reuters.com/world/", None),  # an international wire
        ("https://en.wikinews.org/wiki/Story", None),
        ("https://stream.example.tv/clip", None),  # .tv is sold as a generic name
        ("", None),
        (None, None),
        ("http://127.0.0.1/page", None),
    ],
)
def test_country_for_url(url, country):
    assert country_for_url(url) == country

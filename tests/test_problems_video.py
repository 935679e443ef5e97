"""One video-URL parser: every address the importer writes as a video paragraph
is one the build accepts (kn.markdown.embeds.parse_video), and an ID the build
would reject becomes a plain link with a note for „Bitte prüfen“."""

from __future__ import annotations

import datetime
import itertools

import markdown
import pytest

from kn.markdown.embeds import VideoExtension, parse_video, render_videos
from tools.importer.html2md import html_to_markdown, prepare_wordpress, video_url
from tools.importer.mdblog import Blog, convert
from tools.importer.model import Post

pytestmark = pytest.mark.unit

ID_CHARS = "aB3_-xY9zQ0kLmNoPqRsT"
PREFIXES = [
    "https://www.youtube.com/watch?v={id}", "https://youtube.com/watch?v={id}&t=3", "https://m.youtube.com/watch?v={id}",
    "http://www.youtube.com/embed/{id}", "https://www.youtube-nocookie.com/embed/{id}?rel=0", "//www.youtube.com/embed/{id}",
    "https://www.youtube.com/shorts/{id}", "https://www.youtube.com/live/{id}", "https://www.youtube.com/v/{id}",
    "https://youtu.be/{id}", "https://youtu.be/{id}?si=x", "https://vimeo.com/{id}", "https://player.vimeo.com/video/{id}",
    "https://vimeo.com/channels/staffpicks/{id}", "https://www.vimeo.com/{id}", "ftp://youtu.be/{id}",
    "https://youtube.com.example/watch?v={id}", "https://example.com/embed/{id}",
]


def candidate_ids() -> list[str]:
    ids = [ID_CHARS[:n] for n in range(1, len(ID_CHARS) + 1)]
    ids += ["1" * n for n in range(1, 16)]  # Vimeo's digits, up to too long
    ids += ["dQw4w9WgXcQ", "dQw4w9WgXc", "dQw4w9WgXcQQ", "dQw4w9WgXc!", "dQw4w9 WgXc", "dQw4w9WgXcä", "", "%20" * 4]
    return ids


def build_accepts(url: str) -> bool:
    """The build's whole path: Markdown with the video syntax, then the placeholder."""
    html_text = markdown.markdown(f"[Ein Video]({url}){{ .video }}", extensions=["attr_list", VideoExtension()])
    _rendered, bad = render_videos(html_text, lambda video: video["id"])
    return not bad


def test_every_video_address_the_importer_accepts_the_build_accepts():
    accepted = 0
    for prefix, video_id in itertools.product(PREFIXES, candidate_ids()):
        url = prefix.format(id=video_id)
        found = video_url(url)
        if found is None:
            continue
        accepted += 1
        assert parse_video(found) is not None, (url, found)
        assert build_accepts(found), (url, found)
    assert accepted > 50  # the check above is not empty


@pytest.mark.parametrize("video_id", ["dQw4w9WgXc", "dQw4w9WgXcQQ"])
def test_youtube_id_of_wrong_length_is_no_video_for_build_and_importer(video_id):
    url = f"https://www.youtube.com/watch?v={video_id}"
    assert parse_video(url) is None
    assert video_url(url) is None
    assert video_url(f"https://www.youtube.com/embed/{video_id}") is None


class Foreign:
    def image(self, src: str) -> str | None:
        return None

    def link(self, href: str) -> str | None:
        return href


@pytest.mark.parametrize("video_id", ["dQw4w9WgXc", "dQw4w9WgXcQQ"])
def test_wordpress_embed_with_wrong_id_becomes_a_link_and_a_note(video_id):
    html_text = f'<iframe src="https://www.youtube.com/embed/{video_id}" title="Vortrag"></iframe>'
    converted = html_to_markdown(prepare_wordpress(html_text)[0], Foreign())
    assert "{ .video }" not in converted.markdown
    assert f"https://www.youtube.com/embed/{video_id}" in converted.markdown
    assert any("durch einen einfachen Link ersetzt" in text for text, _context in converted.notes)


@pytest.mark.parametrize(("shortcode", "video_id", "site"), [
    ("{{< youtube dQw4w9WgXc >}}", "dQw4w9WgXc", "YouTube"),
    ('{{< youtube id="dQw4w9WgXcQQ" >}}', "dQw4w9WgXcQQ", "YouTube"),
    ("{{< vimeo abc >}}", "abc", "Vimeo"),
])
def test_hugo_video_with_wrong_id_becomes_a_link_and_a_note(tmp_path, shortcode, video_id, site):
    post = Post(source="x.md", kind="post", title="T", slug="x", when=datetime.datetime(2020, 1, 1), draft=False,
                tags=[], authors=[], comments="off", body=f"Vorher.\n\n{shortcode}\n\nNachher.\n", path="s/x.md")
    blog = Blog(tmp_path)
    blog.files[id(post)] = "x.md"
    converted, _missing = convert(post, blog, {}, "s/bilder", {})
    assert "{ .video }" not in converted.markdown
    assert f"({'https://vimeo.com/' if site == 'Vimeo' else 'https://www.youtube.com/watch?v='}{video_id})" in converted.markdown
    assert [text for text, _context in converted.notes] == [
        f"Video-Kennung '{video_id}' ist keine gültige {site}-Kennung; durch einen einfachen Link ersetzt."]


def test_hugo_video_with_good_id_stays_a_video(tmp_path):
    post = Post(source="x.md", kind="post", title="T", slug="x", when=datetime.datetime(2020, 1, 1), draft=False,
                tags=[], authors=[], comments="off", body="{{< youtube dQw4w9WgXcQ >}}\n", path="s/x.md")
    blog = Blog(tmp_path)
    blog.files[id(post)] = "x.md"
    converted, _missing = convert(post, blog, {}, "s/bilder", {})
    assert converted.markdown == "[Video auf YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ){ .video }\n"
    assert converted.notes == []

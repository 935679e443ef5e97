"""Generated import sources that look like real blogs (#25, #26, #30): a
WordPress export with the problems of real exports, and a Material-for-MkDocs
blog. Every name and address is made up (example domains)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
HOST = "blog.example"

CODE_POST = """Einleitung mit einer Adresse:
Musterstraße 1
12345 Musterstadt

<strong>Titel<br></strong>Text danach.

[code language="csharp"]
container.RegisterType<WebApplication>();
var x = a -- b; // "quoted"
    eingerückt
[/code]

<pre class="brush: php; gutter: false">$a = array("x" =&gt; 1);
echo $a;</pre>

<blockquote><code>if (a &lt; b) {<br>    run();<br>}</code></blockquote>

Siehe <a href="www.example.com/seite">die Seite</a> und <a href="mailto:info@example.com">schreiben Sie uns</a>.
Prosa mit List<string> bleibt lesbar."""

MEDIA_POST = f"""<h1>Eine Überschrift erster Ebene</h1>
<p>Text.</p>
<video src="https://{HOST}/wp-content/uploads/2020/01/film.mp4" poster="https://cdn.example/poster.jpg"></video>
<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0" title="Ein Video"></iframe>
<iframe src="//player.vimeo.com/video/76979871"></iframe>
<iframe src="https://media.ccc.de/v/xyz/oembed"></iframe>

https://youtu.be/dQw4w9WgXcQ

[audio mp3="https://{HOST}/wp-content/uploads/2020/01/ton.mp3"][/audio]

<a href="https://{HOST}/wp-content/uploads/2020/01/clip.mov">Der Clip</a>

<a href="https://example.files.wordpress.com/2020/01/gross.jpg"><img
  src="https://example.files.wordpress.com/2020/01/gross.jpg?w=300" alt="Vorschau"></a>

<a href="https://{HOST}/wp-content/uploads/2020/01/foto.png"><img
  src="https://{HOST}/wp-content/uploads/2020/01/foto-300x200.png" alt="Foto"></a>

<img src="https://{HOST}/wp-content/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd.png" alt="böse">
<img src="https://{HOST}/wp-content/uploads/../../etc/passwd.png" alt="böse 2">

[gallery ids="7,8"]"""


def item(post_id: int, title: str, body: str, *, slug: str, kind: str = "post", guid: str | None = None,
         link: str | None = None, tags: tuple[str, ...] = ("Allgemeines",), sticky: bool = False,
         comments: str = "", date: str = "2020-01-15 10:00:00") -> str:
    cats = "".join(f'<category domain="post_tag" nicename="x"><![CDATA[{t}]]></category>' for t in tags)
    return f"""
    <item>
      <title>{escape(title)}</title>
      <link>{link or f'https://{HOST}/2020/01/{slug}/'}</link>
      <dc:creator><![CDATA[anna]]></dc:creator>
      <guid isPermaLink="false">{guid or f'https://{HOST}/?p={post_id}'}</guid>
      <content:encoded><![CDATA[{body}]]></content:encoded>
      <excerpt:encoded><![CDATA[]]></excerpt:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date>{date}</wp:post_date>
      <wp:comment_status>closed</wp:comment_status>
      <wp:post_name>{slug}</wp:post_name>
      <wp:status>publish</wp:status>
      <wp:post_parent>0</wp:post_parent>
      <wp:post_type>{kind}</wp:post_type>
      <wp:post_password></wp:post_password>
      <wp:is_sticky>{1 if sticky else 0}</wp:is_sticky>
      {cats}{comments}
    </item>"""


def comment(cid: int, parent: int, text: str, date: str = "2020-01-16 10:00:00") -> str:
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[Leserin {cid}]]></wp:comment_author>
      <wp:comment_date>{date}</wp:comment_date><wp:comment_content><![CDATA[{text}]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def wordpress_export(path: Path) -> Path:
    """A WXR 1.2 file with the cases of the four real exports in #25."""
    deep = "<div>" * 5000 + "tief" + "</div>" * 5000
    cycle = comment(1, 2, "Erste") + comment(2, 1, "Zweite") + comment(3, 0, "Mit **Markdown** und ~~durch~~")
    items = [
        item(568, "Erster mit der Adresse 568", "<p>Eins.</p>", slug="erster"),
        item(569, "Zweiter mit geliehener guid", "<p>Zwei.</p>", slug="zweiter", guid=f"https://{HOST}/?p=568"),
        item(570, "Code &amp; <em>Zeilen</em>", CODE_POST, slug="code-und-zeilen", tags=("Index", "Programmieren"),
             comments=cycle),
        item(571, "Medien", MEDIA_POST, slug="medien", sticky=True),
        item(572, "Lang", "<p>Sehr lang.</p>", slug="wort-" * 60 + "ende"),
        item(573, "Tief verschachtelt", deep, slug="tief"),
        item(580, "Impressum", "<p>Altes Impressum.</p>", slug="impressum", kind="page", link=f"https://{HOST}/impressum/"),
        item(581, "Datenschutz", "<p>Alte Erklärung.</p>", slug="datenschutz", kind="page",
             link=f"https://{HOST}/datenschutz/"),
    ]
    text = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Annas Werkbank</title>
  <link>https://{HOST}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://{HOST}</wp:base_site_url>
  <wp:author><wp:author_login><![CDATA[anna]]></wp:author_login>
    <wp:author_display_name><![CDATA[Anna Beispiel]]></wp:author_display_name></wp:author>
  {''.join(items)}
</channel>
</rss>
"""
    path.write_text(text, encoding="utf-8")
    return path


def uploads(folder: Path, outside: Path) -> Path:
    """wp-content/uploads with one picture, a fake picture and links out."""
    (folder / "2020" / "01").mkdir(parents=True)
    (folder / "2020" / "01" / "foto.png").write_bytes(PNG)
    (folder / "2020" / "01" / "foto-300x200.png").write_bytes(PNG)
    (folder / "2020" / "01" / "falsch.png").write_text("<script>alert(1)</script>", encoding="utf-8")
    secret = outside / "geheim.png"
    secret.write_bytes(PNG)
    (folder / "2020" / "01" / "link.png").symlink_to(secret)
    return folder


def markdown_blog(root: Path, outside: Path) -> Path:
    """A Material-for-MkDocs blog: mkdocs.yml with site_name, posts with raw
    iframes, body H1s, nested images, an undated page, hostile front matter."""
    (root / "docs" / "blog" / "posts").mkdir(parents=True)
    (root / "docs" / "bilder").mkdir()
    (root / "mkdocs.yml").write_text("site_name: Notizen aus der Praxis\nsite_author: Bernd Beispiel\n", encoding="utf-8")
    (root / "docs" / "bilder" / "skizze.png").write_bytes(PNG)
    (outside / "fremd.png").write_bytes(PNG)
    (root / "docs" / "bilder" / "fremd.png").symlink_to(outside / "fremd.png")
    posts = root / "docs" / "blog" / "posts"
    (posts / "videos.md").write_text(textwrap.dedent("""\
        ---
        date: 2025-06-22
        authors: [bernd]
        categories: [Praxis]
        ---

        # Videos aus der Praxis

        Einleitung.

        # Noch eine erste Ebene

        <iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Vortrag"
          frameborder="0" allowfullscreen></iframe>

        <iframe src="https://media.ccc.de/v/abc/oembed" width="1024" height="576"></iframe>

        [![Skizze](../../bilder/skizze.png)](../../bilder/skizze.png)

        ![Fremd](../../bilder/fremd.png)

        <img src="https://cdn.example/logo.png" alt="Logo vom CDN" onerror="alert(1)">

        <video controls poster="https://cdn.example/p.jpg"><source src="https://cdn.example/film.mp4"></video>

        <script>alert(1)</script>

        ```python
        # kein Titel, sondern ein Kommentar
        print("x")
        ```
        """), encoding="utf-8")
    (posts / "lachen.md").write_text(
        "---\ndate: 2025-06-23\n" "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n\nText.\n",
        encoding="utf-8")
    (posts / "tief.md").write_text("---\ndate: 2025-06-24\nx: " + "[" * 200 + "]" * 200 + "\n---\n\nText.\n",
                                   encoding="utf-8")
    (root / "docs" / "about.md").write_text("# Über mich\n\nIch schreibe hier.\n", encoding="utf-8")
    return root


def fetch_export(path: Path, base: str) -> Path:
    """A WordPress.com-style export whose pictures live on the old server
    (`base`, e.g. http://127.0.0.1:8123) and on example.files.wordpress.com."""
    wpcom = "https://example.files.wordpress.com"
    body = f"""<p>Vor dem Bild.</p>
<a href="{wpcom}/2019/05/werkstatt.jpg"><img src="{wpcom}/2019/05/werkstatt.jpg?w=300" alt="Werkstatt"></a>

<img src="{base}/wp-content/uploads/2019/05/team-300x200.png" alt="Das Team">

<img src="{wpcom}/2019/05/falsch.png" alt="Kein Bild">
<img src="{wpcom}/2019/05/riesig.png" alt="Zu groß">
<img src="{wpcom}/2019/05/umweg.png" alt="Umweg">
<img src="https://fremd.example/spion.png" alt="Fremd">

[gallery ids="901,902"]

<!-- wp:gallery -->
<figure class="wp-block-gallery"><figure class="wp-block-image"><img src="{wpcom}/2019/05/eins.gif" alt="Eins"></figure>
<figure class="wp-block-image"><img src="{wpcom}/2019/05/zwei.webp" alt="Zwei"></figure></figure>
<!-- /wp:gallery -->"""
    attachments = "".join(f"""
    <item><title>Foto {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>attachment</wp:post_type>
      <wp:status>inherit</wp:status><wp:post_parent>700</wp:post_parent>
      <wp:attachment_url>{wpcom}/2019/05/galerie-{n}.jpg</wp:attachment_url></item>""" for n in (901, 902))
    text = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Bilder-Blog</title>
  <link>{base}</link>
  <wp:base_site_url>{base}</wp:base_site_url>
  {item(700, "Mit Bildern", body, slug="mit-bildern").replace(f"https://{HOST}", base)}
  {attachments}
</channel>
</rss>
"""
    path.write_text(text, encoding="utf-8")
    return path


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
       b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
# path -> body, served for every host by the test's server on 127.0.0.1
PICTURES = {
    "/2019/05/werkstatt.jpg": JPEG,
    "/wp-content/uploads/2019/05/team.png": PNG,
    "/2019/05/falsch.png": b"<html><script>alert(1)</script></html>",
    "/2019/05/riesig.png": PNG + b"\0" * 11_000_000,
    "/2019/05/galerie-901.jpg": JPEG,
    "/2019/05/galerie-902.jpg": JPEG,
    "/2019/05/eins.gif": GIF,
    "/2019/05/zwei.webp": WEBP,
}
REDIRECTS = {"/2019/05/umweg.png": "https://fremd.example/spion.png"}

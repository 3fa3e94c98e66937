// Pieces of the public pages that must never let data become markup: the
// marked search snippets and the links of the development mailbox; and the
// search form's parameters.
import { expect } from 'chai';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { markedToHtml, MARK_END, MARK_START } from '../../src/search/text.ts';
import type { Config } from '../../src/config.ts';
import { devMailRouter, linkify } from '../../src/web/public/dev-mail.routes.tsx';
import { decodeEntities, Marked } from '../../src/web/public/marked.tsx';
import { parseSearch, rawParams, searchHref } from '../../src/web/public/search.page.tsx';

describe('public pages', () => {
  it('splits a marked snippet into text and <mark>, escaping everything else again', () => {
    const html = markedToHtml(`<script>alert("x")</script> & ${MARK_START}städning${MARK_END} <b>`);
    const out = renderToString(h('p', null, h(Marked, { html })));
    expect(out).to.equal('<p>&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; <mark>städning</mark> &lt;b></p>');
    expect(out).not.to.include('<script>').and.not.include('<b>');
  });

  it('decodes numeric and named entities, and leaves unknown ones as they are', () => {
    expect(decodeEntities('&#60;&#x3e;&amp;&quot;&nosuch;&#0;')).to.equal('<>&"&nosuch;&#0;');
  });

  it('makes web addresses links, this site’s relative, and nothing else markup', () => {
    const out = renderToString(h('pre', null, linkify('Bekräfta: http://localhost:3000/confirm/abc.def. Se <https://www.digg.se/x>', 'http://localhost:3000')));
    expect(out).to.equal('<pre>Bekräfta: <a class="anchor" href="/confirm/abc.def">http://localhost:3000/confirm/abc.def</a>. Se &lt;<a class="anchor" href="https://www.digg.se/x">https://www.digg.se/x</a>></pre>');
    expect(renderToString(h('pre', null, linkify('javascript:alert(1) <img src=x>', 'http://x')))).to.equal('<pre>javascript:alert(1) &lt;img src=x></pre>');
  });

  it('reads the search form: empty fields dropped, unknown ones ignored, newest first without words', () => {
    const raw = rawParams({ q: ' städning ', status: ['open', ''], deadlineFrom: '', _csrf: 'x', page: '2' });
    expect(raw).to.deep.equal({ q: ['städning'], status: ['open'], page: ['2'] });
    expect(parseSearch(raw).query).to.include({ q: 'städning', sort: 'relevance', page: 2, pageSize: 20 });
    expect(parseSearch({}).query).to.include({ sort: 'newest' });
    expect(parseSearch({ valueMin: ['mycket'] }).error).to.not.equal(null);
    expect(searchHref(raw, { page: '1' })).to.equal('/?q=st%C3%A4dning&status=open');
  });

  it('mounts the development mailbox only with the file transport outside production', () => {
    const routes = (env: Config['env'], transport: Config['mail']['transport']) =>
      devMailRouter({ env, mail: { transport, outboxDir: 'var/outbox' } as Config['mail'], publicUrl: 'http://localhost:3000' }).routes.map((r) => `${r.method} ${r.path}`);
    expect(routes('development', 'file')).to.deep.equal(['GET /dev/mail', 'GET /dev/mail/:file']);
    expect(routes('test', 'file')).to.have.length(2);
    expect(routes('production', 'file')).to.deep.equal([]);
    expect(routes('development', 'smtp')).to.deep.equal([]);
  });
});

import { expect } from '@open-wc/testing';
import { submitStartForm } from '../../widget/api/start-form.ts';

/** Catches the form the widget submits instead of letting it navigate the test page. */
function captureSubmit(): { forms: HTMLFormElement[]; restore: () => void } {
  const forms: HTMLFormElement[] = [];
  const original = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
    forms.push(this);
  };
  return { forms, restore: () => void (HTMLFormElement.prototype.submit = original) };
}

describe('the start form', () => {
  it('posts the fields in the body (never in the URL) into the named pop-up', () => {
    const { forms, restore } = captureSubmit();
    const popup = { name: '' } as unknown as Window;
    try {
      submitStartForm({ authorizeUrl: 'https://bff.example/oauth/start/a1', fields: { t: 'one-time-secret' } }, popup);
    } finally {
      restore();
    }
    expect(forms).to.have.length(1);
    const form = forms[0]!;
    expect(form.method).to.equal('post');
    expect(form.action).to.equal('https://bff.example/oauth/start/a1');
    expect(form.enctype).to.equal('application/x-www-form-urlencoded');
    expect(popup.name).to.match(/^cp-oauth-/, 'an unnamed pop-up gets a name the form can target');
    expect(form.target).to.equal(popup.name);
    expect([...new FormData(form)]).to.deep.equal([['t', 'one-time-secret']]);
    expect(form.isConnected).to.equal(true, 'in the document when submitted');
  });

  it("keeps a pop-up's own name, and posts into this window for the redirect flow", () => {
    const { forms, restore } = captureSubmit();
    try {
      submitStartForm({ authorizeUrl: 'https://bff.example/oauth/start/a2', fields: { t: 's' } }, { name: 'cp-oauth' } as unknown as Window);
      submitStartForm({ authorizeUrl: 'https://bff.example/oauth/start/a3', fields: { t: 's' } }, null);
    } finally {
      restore();
    }
    expect(forms.map((f) => f.target)).to.deep.equal(['cp-oauth', '_self']);
  });
});

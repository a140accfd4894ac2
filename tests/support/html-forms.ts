/**
 * The POST forms of a server-rendered page, read the way a browser would submit them: enough of
 * HTML for React's output (quoted attributes, escaped text), not a general parser. Used to find the
 * real field names of every form, its hidden values (`intent`, ids) and its named buttons.
 */

export type FormControl = {
  name: string;
  /** `hidden`, `text`, `email`, `password`, `date`, `number`, `checkbox`, `radio`, `select`, `textarea`… */
  type: string;
  /** What a browser sends for it as the page was rendered (the selected option of a select). */
  value: string;
  /** Checkboxes and radios: ticked on the page. */
  checked: boolean;
  /** Selects: every option's value. */
  options: string[];
  /** The element's other attributes (`min`, `max`, `maxlength`, `required`…). */
  attributes: Record<string, string>;
};

export type Submitter = { name: string; value: string };

export type PostForm = {
  /** The `action` attribute resolved against the page's address (path and query), or the page's own. */
  action: string;
  enctype: string;
  controls: FormControl[];
  /** Named submit buttons: a browser sends the one that was pressed. */
  submitters: Submitter[];
};

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text: string) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === "#") {
      const code = entity[1] === "x" || entity[1] === "X" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return String.fromCodePoint(code);
    }
    return entities[entity.toLowerCase()] ?? whole;
  });
}

function parseAttributes(source: string) {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attributes[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attributes;
}

type OpenForm = PostForm & { id?: string; method: string };

/** Every `<form method="post">` of `html`, with actions resolved against `pageUrl` (a path with its query). */
export function postForms(html: string, pageUrl: string): PostForm[] {
  const base = new URL(pageUrl, "http://page.invalid");
  const forms: OpenForm[] = [];
  /** Controls outside any form that name one with their `form` attribute, attached once all forms are known. */
  const orphans: { formId: string; control?: FormControl; submitter?: Submitter }[] = [];
  let open: OpenForm | undefined;
  let select: FormControl | undefined;
  let option: { value?: string; selected: boolean; text: string } | undefined;

  const ownerOf = (attributes: Record<string, string>) => {
    const formId = attributes.form;
    if (formId && formId !== open?.id) return { formId };
    return open ? { form: open } : undefined;
  };
  const addControl = (attributes: Record<string, string>, control: FormControl) => {
    const owner = ownerOf(attributes);
    if (owner?.form) owner.form.controls.push(control);
    else if (owner?.formId) orphans.push({ formId: owner.formId, control });
  };
  const closeOption = () => {
    if (!option || !select) return;
    const value = option.value ?? option.text.trim();
    select.options.push(value);
    if (option.selected || select.options.length === 1) select.value = value;
    option = undefined;
  };

  const tags = /<(\/?)([a-z][a-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/gi;
  let match: RegExpExecArray | null;
  let textStart = 0;
  while ((match = tags.exec(html))) {
    const [, closing, rawName, rawAttributes] = match;
    const name = rawName!.toLowerCase();
    if (option) option.text += decodeEntities(html.slice(textStart, match.index));
    textStart = tags.lastIndex;
    if (name === "script" || name === "style") {
      if (!closing) {
        const end = html.toLowerCase().indexOf(`</${name}`, tags.lastIndex);
        tags.lastIndex = end < 0 ? html.length : end;
      }
      continue;
    }
    const attributes = parseAttributes(rawAttributes ?? "");
    if (closing) {
      if (name === "form") open = undefined;
      if (name === "option") closeOption();
      if (name === "select") {
        closeOption();
        select = undefined;
      }
      continue;
    }
    switch (name) {
      case "form": {
        const action = new URL(attributes.action ?? "", base);
        open = {
          id: attributes.id,
          method: (attributes.method ?? "get").toLowerCase(),
          action: `${action.pathname}${action.search}`,
          enctype: attributes.enctype ?? "application/x-www-form-urlencoded",
          controls: [],
          submitters: [],
        };
        forms.push(open);
        break;
      }
      case "input": {
        const type = (attributes.type ?? "text").toLowerCase();
        if (!attributes.name) break;
        if (type === "submit" || type === "image") {
          const submitter = { name: attributes.name, value: attributes.value ?? "" };
          const owner = ownerOf(attributes);
          if (owner?.form) owner.form.submitters.push(submitter);
          else if (owner?.formId) orphans.push({ formId: owner.formId, submitter });
          break;
        }
        if (type === "button" || type === "reset") break;
        const checkable = type === "checkbox" || type === "radio";
        addControl(attributes, {
          name: attributes.name,
          type,
          value: attributes.value ?? (checkable ? "on" : ""),
          checked: "checked" in attributes,
          options: [],
          attributes,
        });
        break;
      }
      case "button": {
        const type = (attributes.type ?? "submit").toLowerCase();
        if (type !== "submit" || !attributes.name) break;
        const submitter = { name: attributes.name, value: attributes.value ?? "" };
        const owner = ownerOf(attributes);
        if (owner?.form) owner.form.submitters.push(submitter);
        else if (owner?.formId) orphans.push({ formId: owner.formId, submitter });
        break;
      }
      case "textarea": {
        const end = html.toLowerCase().indexOf("</textarea", tags.lastIndex);
        const text = decodeEntities(html.slice(tags.lastIndex, end < 0 ? html.length : end)).replace(/^\n/, "");
        if (attributes.name) {
          addControl(attributes, {
            name: attributes.name,
            type: "textarea",
            value: text,
            checked: false,
            options: [],
            attributes,
          });
        }
        tags.lastIndex = end < 0 ? html.length : end;
        textStart = tags.lastIndex;
        break;
      }
      case "select": {
        if (!attributes.name) break;
        select = { name: attributes.name, type: "select", value: "", checked: false, options: [], attributes };
        addControl(attributes, select);
        break;
      }
      case "option": {
        closeOption();
        if (select) option = { value: attributes.value, selected: "selected" in attributes, text: "" };
        break;
      }
    }
  }
  for (const orphan of orphans) {
    const form = forms.find((candidate) => candidate.id === orphan.formId);
    if (orphan.control) form?.controls.push(orphan.control);
    if (orphan.submitter) form?.submitters.push(orphan.submitter);
  }
  return forms
    .filter((form) => form.method === "post")
    .map(({ action, enctype, controls, submitters }) => ({ action, enctype, controls, submitters }));
}

/** The fields a browser sends for `form` as rendered, pressing `submitter` (or none). */
export function browserSubmission(form: PostForm, submitter?: Submitter): [string, string][] {
  const entries: [string, string][] = [];
  for (const control of form.controls) {
    if ((control.type === "checkbox" || control.type === "radio") && !control.checked) continue;
    if (control.type === "select" && control.options.length === 0) continue;
    entries.push([control.name, control.value]);
  }
  if (submitter) entries.push([submitter.name, submitter.value]);
  return entries;
}

/*
 * 正文编辑器: turns <textarea data-rich-editor> into a small rich-text editor
 * (contenteditable + toolbar) and keeps the textarea up to date, so the form
 * posts the HTML as before. Without JavaScript the plain textarea remains.
 *
 * Paste from Word / WPS keeps the structure (paragraphs, headings, lists,
 * tables, bold) and drops styles, classes, fonts and comments. The server
 * sanitises the body again (disclosure/sanitize.py); this only keeps what the
 * clerk sees close to what will be saved.
 *
 * Content Security Policy: no inline script or style is created; formatting
 * commands run with styleWithCSS off, so the browser writes tags, not style
 * attributes.
 */
(function () {
  "use strict";

  var KEEP = {
    P: "p", BR: "br", HR: "hr", H1: "h2", H2: "h2", H3: "h3", H4: "h4", H5: "h5", H6: "h6",
    STRONG: "strong", B: "strong", EM: "em", I: "em", U: "u", S: "s", STRIKE: "s",
    SUB: "sub", SUP: "sup", BLOCKQUOTE: "blockquote", PRE: "pre", CODE: "code",
    UL: "ul", OL: "ol", LI: "li", TABLE: "table", CAPTION: "caption", THEAD: "thead",
    TBODY: "tbody", TFOOT: "tfoot", TR: "tr", TH: "th", TD: "td", A: "a"
  };
  var BLOCKS_AS_P = { DIV: true, SECTION: true, ARTICLE: true, HEADER: true, FOOTER: true };
  var DROP = {
    SCRIPT: true, STYLE: true, TITLE: true, META: true, LINK: true, XML: true,
    TEMPLATE: true, IFRAME: true, OBJECT: true, EMBED: true, IMG: true, SVG: true,
    FORM: true, INPUT: true, BUTTON: true, SELECT: true, TEXTAREA: true, NOSCRIPT: true
  };
  var SAFE_URL = /^(https?:|mailto:)/i;

  function cleanNode(source, doc) {
    var out = doc.createDocumentFragment();
    source.childNodes.forEach(function (child) {
      if (child.nodeType === 3) {
        out.appendChild(doc.createTextNode(child.nodeValue.replace(/\u00a0/g, " ")));
        return;
      }
      if (child.nodeType !== 1) {
        return; // comments (Word's <!--[if ...]-->), processing instructions
      }
      var name = child.nodeName.toUpperCase();
      if (DROP[name] || name.indexOf(":") !== -1) {
        // <o:p>, <w:...>, <v:...> from Word: drop the element, keep the text
        if (name.indexOf(":") !== -1) {
          out.appendChild(cleanNode(child, doc));
        }
        return;
      }
      var tag = KEEP[name] || (BLOCKS_AS_P[name] ? "p" : null);
      if (!tag) {
        out.appendChild(cleanNode(child, doc)); // <span>, <font>: unwrap
        return;
      }
      var element = doc.createElement(tag);
      if (tag === "a") {
        var href = child.getAttribute("href") || "";
        if (SAFE_URL.test(href)) {
          element.setAttribute("href", href);
        } else {
          out.appendChild(cleanNode(child, doc));
          return;
        }
      }
      if (tag === "td" || tag === "th") {
        ["colspan", "rowspan"].forEach(function (attribute) {
          var value = child.getAttribute(attribute);
          if (value && /^\d{1,3}$/.test(value) && value !== "1") {
            element.setAttribute(attribute, value);
          }
        });
      }
      element.appendChild(cleanNode(child, doc));
      out.appendChild(element);
    });
    return out;
  }

  // Even an inert parse (DOMParser, <template>) applies the page's CSP to
  // style attributes and reports each one as a violation: Word's markup is
  // full of them. They are dropped from the text before it is parsed; the
  // structure is cleaned on the parsed tree below.
  var STYLE_ELEMENT = /<style\b[\s\S]*?<\/style\s*>/gi;
  var START_TAG = /<[a-zA-Z][^>]*>/g;
  var STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

  function withoutStyles(html) {
    return html.replace(STYLE_ELEMENT, "").replace(START_TAG, function (tag) {
      return tag.replace(STYLE_ATTRIBUTE, "");
    });
  }

  var BLOCK = /^(P|H[1-6]|UL|OL|TABLE|BLOCKQUOTE|PRE|HR)$/;

  // Text typed or pasted outside any paragraph becomes a paragraph; line
  // breaks at the top level separate paragraphs.
  function wrapLooseInline(container) {
    var paragraph = null;
    Array.prototype.slice.call(container.childNodes).forEach(function (node) {
      var isBlock = node.nodeType === 1 && BLOCK.test(node.nodeName);
      var isBreak = node.nodeType === 1 && node.nodeName === "BR";
      if (isBlock || isBreak) {
        paragraph = null;
        if (isBreak) {
          node.remove();
        }
        return;
      }
      if (node.nodeType === 3 && !node.nodeValue.trim() && !paragraph) {
        node.remove();
        return;
      }
      if (!paragraph) {
        paragraph = document.createElement("p");
        container.insertBefore(paragraph, node);
      }
      paragraph.appendChild(node);
    });
  }

  function cleanHtml(html) {
    var parsed = new DOMParser().parseFromString(withoutStyles(html), "text/html");
    var container = document.createElement("div");
    container.appendChild(cleanNode(parsed.body, document));
    wrapLooseInline(container);
    // Word's empty paragraphs
    container.querySelectorAll("p").forEach(function (p) {
      if (!p.textContent.trim()) {
        p.remove();
      }
    });
    return container.innerHTML;
  }

  function textToHtml(text) {
    var container = document.createElement("div");
    text.split(/\r?\n/).forEach(function (line) {
      if (line.trim()) {
        var p = document.createElement("p");
        p.textContent = line;
        container.appendChild(p);
      }
    });
    return container.innerHTML;
  }

  function insertHtmlAtSelection(editor, html) {
    var selection = window.getSelection();
    if (!selection.rangeCount || !editor.contains(selection.anchorNode)) {
      editor.focus();
      var end = document.createRange();
      end.selectNodeContents(editor);
      end.collapse(false);
      selection.removeAllRanges();
      selection.addRange(end);
    }
    var range = selection.getRangeAt(0);
    range.deleteContents();
    var template = document.createElement("template");
    template.innerHTML = html;
    var fragment = template.content;
    var last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) {
      var after = document.createRange();
      after.setStartAfter(last);
      after.collapse(true);
      selection.removeAllRanges();
      selection.addRange(after);
    }
  }

  var BUTTONS = [
    { label: "正文段落", command: "formatBlock", value: "p" },
    { label: "标题", command: "formatBlock", value: "h2" },
    { label: "小标题", command: "formatBlock", value: "h3" },
    { label: "加粗", command: "bold", shortcut: "Ctrl+B" },
    { label: "项目列表", command: "insertUnorderedList" },
    { label: "编号列表", command: "insertOrderedList" },
    { label: "撤销", command: "undo", shortcut: "Ctrl+Z" },
    { label: "重做", command: "redo", shortcut: "Ctrl+Y" },
    { label: "清除格式", command: "removeFormat" }
  ];

  function enhance(textarea) {
    var field = textarea.closest(".field") || textarea.parentNode;
    var label = field.querySelector("label[for='" + textarea.id + "']");
    var help = document.getElementById(textarea.id + "_helptext");

    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";

    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文格式");
    toolbar.setAttribute("aria-controls", textarea.id + "_editor");

    var editor = document.createElement("div");
    editor.className = "rich-editor-area item-body";
    editor.id = textarea.id + "_editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      if (!label.id) {
        label.id = textarea.id + "_label";
      }
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () {
        editor.focus();
      });
    }
    if (help) {
      editor.setAttribute("aria-describedby", help.id);
    }
    editor.innerHTML = textarea.value.trim() ? cleanHtml(textarea.value) : "<p><br></p>";

    function sync() {
      var html = editor.innerHTML;
      textarea.value = editor.textContent.trim() ? cleanHtml(html) : "";
    }

    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rich-editor-button";
      button.textContent = spec.label;
      if (spec.shortcut) {
        button.title = spec.label + "（" + spec.shortcut + "）";
      }
      button.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the selection in the editor
      });
      button.addEventListener("click", function () {
        editor.focus();
        document.execCommand("styleWithCSS", false, false);
        if (spec.command === "formatBlock") {
          document.execCommand("formatBlock", false, "<" + spec.value + ">");
        } else {
          document.execCommand(spec.command, false, null);
        }
        sync();
      });
      toolbar.appendChild(button);
    });

    editor.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!data) {
        return;
      }
      event.preventDefault();
      var html = data.getData("text/html");
      insertHtmlAtSelection(editor, html ? cleanHtml(html) : textToHtml(data.getData("text/plain")));
      sync();
    });
    editor.addEventListener("drop", function (event) {
      event.preventDefault(); // files and foreign markup: use paste or the attachment form
    });
    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);
    if (textarea.form) {
      textarea.form.addEventListener("submit", sync);
    }

    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    textarea.parentNode.insertBefore(wrapper, textarea);
    textarea.hidden = true;
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    if (textarea.getAttribute("aria-invalid") === "true") {
      editor.setAttribute("aria-invalid", "true");
    }
    sync();
  }

  function init() {
    try {
      document.execCommand("defaultParagraphSeparator", false, "p");
    } catch (error) {
      /* older browsers: Enter may make <div>, which cleanHtml turns into <p> */
    }
    document.querySelectorAll("textarea[data-rich-editor]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

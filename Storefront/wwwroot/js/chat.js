// The shopping assistant panel: posts the shopper's question to the Storefront's /api/chat and renders the Server-Sent
// Events as they arrive. Answer HTML comes only from the server's "html" events (Markdown rendered with raw HTML
// disabled and links limited to the shop); everything else is inserted as text, never as markup.
(() => {
    "use strict";
    const conversationKey = "ecomgo.chat.conversation";
    const openKey = "ecomgo.chat.open";
    const toolLabels = {
        products: "Searching products…",
        manufacturers: "Looking up manufacturers…",
        promotions: "Checking promotions…",
        reviews: "Reading reviews…",
    };

    function init() {
        const panel = document.getElementById("chat-panel");
        if (!panel || panel.dataset.ready) {
            return;
        }

        panel.dataset.ready = "true";
        const details = panel.querySelector(".chat-panel");
        const log = panel.querySelector("[data-chat-log]");
        const status = panel.querySelector("[data-chat-status]");
        const form = panel.querySelector("[data-chat-form]");
        const input = form.querySelector("input");
        const send = panel.querySelector("[data-chat-send]");
        const stop = panel.querySelector("[data-chat-stop]");
        const history = panel.querySelector("[data-chat-history]");
        let controller = null;
        let conversationId = sessionStorage.getItem(conversationKey);
        const runningTools = new Map();

        input.disabled = false;
        const updateSend = () => { send.disabled = controller !== null || input.value.trim() === ""; };
        input.addEventListener("input", updateSend);

        details.open = sessionStorage.getItem(openKey) === "true";
        details.addEventListener("toggle", () => sessionStorage.setItem(openKey, String(details.open)));

        function clearHint() {
            log.querySelectorAll(".chat-hint").forEach(h => h.remove());
        }

        function addMessage(role, text) {
            clearHint();
            const item = document.createElement("li");
            item.className = `chat-msg chat-msg--${role}`;
            const who = document.createElement("span");
            who.className = "visually-hidden";
            who.textContent = role === "user" ? "You: " : "Assistant: ";
            const body = document.createElement("div");
            body.className = "chat-text";
            body.textContent = text ?? "";
            item.append(who, body);
            log.append(item);
            log.scrollTop = log.scrollHeight;
            return item;
        }

        function setHtml(item, html) {
            // Server-rendered from Markdown with raw HTML disabled and links restricted to the shop (ChatMarkdown).
            item.querySelector(".chat-text").innerHTML = html;
            log.scrollTop = log.scrollHeight;
        }

        function money(amount) {
            return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(amount);
        }

        function addCard(item, card) {
            if (!/^\/products\/\d+$/.test(card.url) || item.querySelector(`[data-product-id="${Number(card.id)}"]`)) {
                return;
            }

            let cards = item.querySelector(".chat-cards");
            if (!cards) {
                cards = document.createElement("div");
                cards.className = "chat-cards";
                item.append(cards);
            }

            const el = document.createElement("div");
            el.className = "chat-card";
            el.dataset.testid = "chat-product-card";
            el.dataset.productId = String(Number(card.id));
            const link = document.createElement("a");
            link.href = card.url;
            link.className = "chat-card-link";
            if (typeof card.imageUrl === "string" && card.imageUrl.startsWith("/") && !card.imageUrl.startsWith("//")) {
                const img = document.createElement("img");
                img.src = card.imageUrl;
                img.alt = "";
                img.width = 56;
                img.height = 56;
                link.append(img);
            }

            const name = document.createElement("span");
            name.className = "chat-card-name";
            name.textContent = card.name;
            link.append(name);
            const price = document.createElement("span");
            price.className = "chat-card-price";
            if (card.salePrice !== null && card.salePrice !== undefined) {
                const was = document.createElement("s");
                was.textContent = money(card.price);
                price.append(document.createTextNode(money(card.salePrice) + " "), was);
            } else {
                price.textContent = money(card.price);
            }

            const add = document.createElement("button");
            add.type = "button";
            add.className = "btn btn-sm btn-primary chat-card-add";
            add.textContent = "Add to cart";
            add.addEventListener("click", async () => {
                add.disabled = true;
                try {
                    const response = await fetch("/api/cart/items", {
                        method: "POST",
                        headers: { "Content-Type": "application/json", "X-Requested-With": "ecomgo" },
                        body: JSON.stringify({ productId: Number(card.id), quantity: 1 }),
                    });
                    add.textContent = response.ok ? "Added ✓" : "Could not add";
                } catch {
                    add.textContent = "Could not add";
                }
            });
            el.append(link, price, add);
            cards.append(el);
        }

        function showStatus(text) {
            status.textContent = text;
            status.hidden = !text;
        }

        function updateToolStatus() {
            const labels = [...new Set(runningTools.values())];
            showStatus(labels.join(" "));
        }

        function parseEvents(buffer, onEvent) {
            // SSE: events separated by a blank line; "event:" names it, "data:" lines carry JSON.
            let index;
            while ((index = buffer.indexOf("\n\n")) >= 0) {
                const block = buffer.slice(0, index);
                buffer = buffer.slice(index + 2);
                let name = "message";
                const data = [];
                for (const line of block.split("\n")) {
                    if (line.startsWith("event:")) {
                        name = line.slice(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.push(line.slice(5).replace(/^ /, ""));
                    }
                }

                if (data.length > 0) {
                    try {
                        onEvent(name, JSON.parse(data.join("\n")));
                    } catch (e) {
                        console.warn("Bad chat event", e);
                    }
                }
            }

            return buffer;
        }

        async function ask(question) {
            addMessage("user", question);
            const answer = addMessage("assistant", "");
            answer.classList.add("chat-streaming");
            answer.dataset.state = "streaming";
            controller = new AbortController();
            stop.hidden = false;
            updateSend();
            showStatus("Thinking…");
            let finished = false;
            try {
                const response = await fetch("/api/chat", {
                    method: "POST",
                    headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-Requested-With": "ecomgo" },
                    body: JSON.stringify({ message: question, conversationId: conversationId || null }),
                    signal: controller.signal,
                });
                if (!response.ok) {
                    let detail = "The shopping assistant is not available right now.";
                    try {
                        const problem = await response.json();
                        if (problem && typeof problem.detail === "string") {
                            detail = problem.detail;
                        }
                    } catch { /* not JSON */ }
                    if (response.status === 404) {
                        sessionStorage.removeItem(conversationKey);
                        conversationId = null;
                    }

                    answer.classList.add("chat-msg--error");
                    answer.querySelector(".chat-text").textContent = detail;
                    finished = true;
                    return;
                }

                const reader = response.body.getReader();
                const decoder = new TextDecoder();
                let buffer = "";
                for (;;) {
                    const { value, done } = await reader.read();
                    if (done) {
                        break;
                    }

                    buffer = parseEvents((buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, "\n"), (name, data) => {
                        switch (name) {
                            case "conversation":
                                conversationId = data.conversationId;
                                sessionStorage.setItem(conversationKey, conversationId);
                                break;
                            case "html":
                                showStatus("");
                                setHtml(answer, data.html);
                                break;
                            case "tool-started":
                                runningTools.set(data.callId, toolLabels[String(data.name).split("_")[0]] || "Looking that up…");
                                updateToolStatus();
                                break;
                            case "tool-finished":
                                runningTools.delete(data.callId);
                                updateToolStatus();
                                break;
                            case "product-card":
                                addCard(answer, data);
                                break;
                            case "completed":
                                finished = true;
                                answer.dataset.state = "completed";
                                break;
                            case "error":
                                finished = true;
                                answer.classList.add("chat-msg--error");
                                answer.dataset.state = "error";
                                const note = document.createElement("p");
                                note.className = "chat-error";
                                note.textContent = data.message;
                                answer.append(note);
                                break;
                        }
                    });
                }
            } catch (e) {
                if (e.name === "AbortError") {
                    const note = document.createElement("p");
                    note.className = "chat-error";
                    note.textContent = "Stopped.";
                    answer.append(note);
                    answer.dataset.state = "stopped";
                    finished = true;
                } else {
                    answer.classList.add("chat-msg--error");
                    answer.querySelector(".chat-text").textContent = "The shopping assistant is not available right now.";
                    finished = true;
                }
            } finally {
                if (!finished) {
                    answer.classList.add("chat-msg--error");
                    answer.querySelector(".chat-text").textContent = "The answer was cut off. Please try again.";
                }

                answer.classList.remove("chat-streaming");
                runningTools.clear();
                showStatus("");
                controller = null;
                stop.hidden = true;
                updateSend();
                input.focus();
            }
        }

        async function load(id) {
            const response = await fetch(`/api/chat/conversations/${encodeURIComponent(id)}`);
            if (!response.ok) {
                sessionStorage.removeItem(conversationKey);
                conversationId = null;
                return;
            }

            const transcript = await response.json();
            conversationId = transcript.id;
            sessionStorage.setItem(conversationKey, conversationId);
            log.replaceChildren();
            for (const message of transcript.messages) {
                const item = addMessage(message.role === "user" ? "user" : "assistant", "");
                setHtml(item, message.html);
                for (const card of message.products || []) {
                    addCard(item, card);
                }
            }
        }

        async function listConversations() {
            history.replaceChildren();
            const response = await fetch("/api/chat/conversations");
            if (!response.ok) {
                return;
            }

            for (const c of await response.json()) {
                const item = document.createElement("li");
                const open = document.createElement("button");
                open.type = "button";
                open.className = "chat-history-open";
                open.textContent = c.title;
                open.addEventListener("click", () => load(c.id));
                item.append(open);
                history.append(item);
            }

            if (!history.children.length) {
                const none = document.createElement("li");
                none.textContent = "No earlier conversations.";
                history.append(none);
            }
        }

        form.addEventListener("submit", e => {
            e.preventDefault();
            const question = input.value.trim();
            if (!question || controller) {
                return;
            }

            input.value = "";
            ask(question);
        });
        stop.addEventListener("click", () => controller?.abort());
        panel.querySelector("[data-chat-new]").addEventListener("click", () => {
            controller?.abort();
            conversationId = null;
            sessionStorage.removeItem(conversationKey);
            log.replaceChildren();
        });
        panel.querySelector(".chat-history").addEventListener("toggle", e => {
            if (e.target.open) {
                listConversations();
            }
        });

        if (conversationId) {
            load(conversationId);
        }

        updateSend();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }

    // Enhanced navigation keeps the panel (data-permanent); a full page load starts it again from sessionStorage.
    if (window.Blazor && typeof window.Blazor.addEventListener === "function") {
        window.Blazor.addEventListener("enhancedload", init);
    }
})();

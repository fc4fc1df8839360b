// Pages from the shared (anonymous) page cache carry an empty anti-forgery field: a token belongs to one browser, a cached
// page to everyone. Fetch this browser's token just before such a form is posted, then post it as usual.
document.addEventListener("submit", async event => {
    const form = event.target;
    const field = form instanceof HTMLFormElement ? form.querySelector('input[name="__RequestVerificationToken"]') : null;
    if (!field || field.value) {
        return;
    }

    event.preventDefault();
    event.stopImmediatePropagation();
    const response = await fetch("/antiforgery/token", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) {
        return;
    }

    field.value = (await response.json()).token;
    form.requestSubmit(event.submitter ?? undefined);
}, true);

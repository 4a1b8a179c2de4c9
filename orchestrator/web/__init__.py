"""The web pages: the shoppers' concierge chat and the merchandisers' console.

Plain HTML, CSS and JavaScript modules served by the API itself (`pages.router`); they talk only to
the API of the origin that served them, and nothing else may load.
"""
